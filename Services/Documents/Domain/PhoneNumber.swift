/// A Vietnamese phone number in E.164 (`+84…`), as people type it: `0912 345 678`, `84912345678`,
/// `+84 912.345.678`.
struct PhoneNumber: Equatable, CustomStringConvertible {
    /// `+84` and the national number without its leading 0.
    let e164: String
    var description: String { e164 }

    /// Nil when it is not a Vietnamese number of 9 or 10 national digits.
    init?(_ text: String) {
        let kept = text.filter { !" .-()".contains($0) }
        var digits: Substring
        if kept.hasPrefix("+84") {
            digits = kept.dropFirst(3)
        } else if kept.hasPrefix("84"), kept.count >= 11 {
            digits = kept.dropFirst(2)
        } else if kept.hasPrefix("0") {
            digits = kept.dropFirst()
        } else {
            return nil
        }
        guard (9...10).contains(digits.count), digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        e164 = "+84" + digits
    }
}
