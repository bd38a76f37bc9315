import Foundation
import VietnameseText

/// What a new password must be: long enough, not guessable from the account, not the old one.
struct PasswordPolicy {
    var minimumLength = 10

    /// Why `password` is refused, in Vietnamese, one sentence per reason; empty when accepted.
    func violations(password: String, username: String, fullName: String, currentPassword: String?) -> [String] {
        var found: [String] = []
        if password.count < minimumLength { found.append("Mật khẩu phải có ít nhất \(minimumLength) ký tự.") }
        let hasLetter = password.contains { $0.isLetter }
        let hasDigit = password.contains { $0.isNumber }
        if !hasLetter || !hasDigit { found.append("Mật khẩu phải có cả chữ và số.") }
        let folded = VietnameseText.searchKey(password).replacingOccurrences(of: " ", with: "")
        let name = UsernameSuggestion.letters(username.split(separator: ".").first.map(String.init) ?? username)
        // Containment only for names long enough to mean something; "u" would refuse almost anything.
        if (name.count >= 3 && folded.contains(name)) || folded == UsernameSuggestion.letters(username) {
            found.append("Mật khẩu không được chứa tên đăng nhập.")
        }
        let person = UsernameSuggestion.letters(fullName)
        if person.count >= 4, folded.contains(person) { found.append("Mật khẩu không được chứa họ tên.") }
        if let currentPassword, password == currentPassword { found.append("Mật khẩu mới phải khác mật khẩu cũ.") }
        return found
    }
}
