import Foundation
import HummingbirdOTP

/// TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps) as authenticator apps use it. A code is accepted one
/// step early or late for clock drift, and never twice: the step it matched is kept and later codes must
/// come after it.
enum OneTimeCode {
    static let step: TimeInterval = 30

    /// A new shared secret: 20 random letters and digits (the app sees it base32-encoded).
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return InitialPassword.make(length: 20, using: &generator)
    }

    /// The step `code` matches at `now`, if any, later than `lastStep`.
    static func matchingStep(code: String, secret: String, at now: Date, after lastStep: Int64?) -> Int64? {
        let trimmed = code.filter { !$0.isWhitespace }
        guard trimmed.count == 6, let value = Int(trimmed) else { return nil }
        let current = Int64((now.timeIntervalSince1970 / step).rounded(.down))
        let totp = TOTP(secret: secret)
        for candidate in [current - 1, current, current + 1] where candidate > (lastStep ?? Int64.min) {
            if totp.compute(date: Date(timeIntervalSince1970: Double(candidate) * step)) == value { return candidate }
        }
        return nil
    }

    /// What to put in a QR code for the app.
    static func enrolmentURL(secret: String, username: String, issuer: String) -> String {
        TOTP(secret: secret).createAuthenticatorURL(label: "\(issuer):\(username)", issuer: issuer)
    }
}
