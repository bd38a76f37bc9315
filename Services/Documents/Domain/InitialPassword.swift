/// A one-time password for a new or reset account: random, shown once to the admin, changed at first
/// login. No shared default password exists.
enum InitialPassword {
    /// Letters and digits that cannot be mistaken for each other when read aloud or copied by hand.
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    static func make<G: RandomNumberGenerator>(length: Int = 14, using generator: inout G) -> String {
        while true {
            let password = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            // The policy wants letters and digits; redraw the rare one without both.
            if password.contains(where: \.isLetter), password.contains(where: \.isNumber) { return password }
        }
    }

    static func make(length: Int = 14) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(length: length, using: &generator)
    }
}
