import Foundation

/// How long an account stays shut after repeated wrong passwords: free attempts first, then a lock that
/// doubles with each further failure, up to a ceiling. A correct password resets the count.
struct LockoutPolicy: Sendable {
    var freeAttempts = 5
    var firstLock: TimeInterval = 60
    var longestLock: TimeInterval = 3600

    /// Until when the account is shut after its `failures`-th consecutive failure at `now`; nil while
    /// failures are still within the free attempts.
    func lockedUntil(failures: Int, at now: Date) -> Date? {
        guard failures >= freeAttempts else { return nil }
        let doublings = min(failures - freeAttempts, 20)
        return now.addingTimeInterval(min(firstLock * pow(2, Double(doublings)), longestLock))
    }

    /// The sentence a person reads while locked out.
    static func message(until: Date, now: Date) -> String {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return "Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau \(minutes) phút."
    }
}
