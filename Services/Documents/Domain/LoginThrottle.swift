import Foundation

/// Progressive delay after wrong passwords, instead of a lock an attacker could hold on someone else's
/// account: the rules, over the records `LoginFailureStore` keeps. Failures are counted per (username,
/// address) pair and per address; a pair or an address that has failed too often must wait before its
/// next try, the wait doubling with each further failure up to a ceiling. A person typing their own password from another address is never held up by an
/// attacker's failures. Keys are what was typed, whether or not the username exists, so a wait tells
/// nothing about which usernames exist.
struct LoginThrottle: Sendable {
    struct Rule: Sendable {
        var freeFailures: Int
        var firstDelay: TimeInterval
        var longestDelay: TimeInterval
        /// A key with no failure for this long is forgotten.
        var forgetAfter: TimeInterval

        /// The wait after the `failures`-th failure; zero while within the free failures.
        func delay(after failures: Int) -> TimeInterval {
            guard failures >= freeFailures else { return 0 }
            return min(firstDelay * pow(2, Double(min(failures - freeFailures, 30))), longestDelay)
        }
    }

    /// One person mistyping: five tries, then 1 s, 2 s, 4 s … up to 15 minutes.
    var pairRule = Rule(freeFailures: 5, firstDelay: 1, longestDelay: 900, forgetAfter: 3600)
    /// One address trying many usernames (password spraying), or an office behind one NAT address.
    var addressRule = Rule(freeFailures: 30, firstDelay: 1, longestDelay: 900, forgetAfter: 3600)
    /// Wrong second-factor codes for one username, from any address: whoever tries codes already has the
    /// password, so here the account itself waits (30 s doubling to 15 min after 5), or a million codes
    /// could be tried from many addresses.
    var codeRule = Rule(freeFailures: 5, firstDelay: 30, longestDelay: 900, forgetAfter: 3600)

    /// One key's failures: how many, the last one, and when it may try again.
    struct Record: Sendable, Equatable {
        var failures: Int
        var lastFailure: Date
        var nextTry: Date
    }

    /// A key's record after one more failure at `now` (the one rule, whichever store keeps the records).
    static func afterFailure(_ previous: Record?, rule: Rule, at now: Date) -> Record {
        var record = previous ?? Record(failures: 0, lastFailure: now, nextTry: now)
        if now.timeIntervalSince(record.lastFailure) > rule.forgetAfter { record.failures = 0 }
        record.failures = min(record.failures + 1, 1_000)
        record.lastFailure = now
        record.nextTry = now.addingTimeInterval(rule.delay(after: record.failures))
        return record
    }

    /// The key a (username, address) pair is stored under: the address key has no space.
    static func pairKey(username: String, address: String) -> String { address + " " + username }

    /// The key an address is counted under: an IPv6 address by its /64, which one subscriber usually
    /// holds whole (counting each of its 2^64 addresses apart would be no limit); an IPv4-mapped IPv6
    /// address as its IPv4; anything else as it is.
    static func addressKey(_ address: String) -> String {
        let bare = address.split(separator: "%", maxSplits: 1).first.map(String.init) ?? address
        guard bare.contains(":") else { return bare }
        let lower = bare.lowercased()
        if lower.hasPrefix("::ffff:"), lower.dropFirst(7).contains(".") { return String(lower.dropFirst(7)) }
        let halves = lower.components(separatedBy: "::")
        guard halves.count <= 2 else { return lower }
        let head = halves[0].isEmpty ? [] : halves[0].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let tail = halves.count == 2 && !halves[1].isEmpty ? halves[1].split(separator: ":", omittingEmptySubsequences: false).map(String.init) : []
        let missing = 8 - head.count - tail.count
        guard halves.count == 2 ? missing >= 1 : missing == 0 else { return lower }
        let groups = head + Array(repeating: "0", count: halves.count == 2 ? missing : 0) + tail
        guard groups.allSatisfy({ (1...4).contains($0.count) && UInt16($0, radix: 16) != nil }) else { return lower }
        return groups.prefix(4).map { String(UInt16($0, radix: 16)!, radix: 16) }.joined(separator: ":") + "::/64"
    }

    /// The sentence a person reads while waiting.
    static func message(wait: TimeInterval) -> String {
        let seconds = max(1, Int(wait.rounded(.up)))
        let when = seconds < 120 ? "\(seconds) giây" : "\((seconds + 59) / 60) phút"
        return "Đăng nhập sai nhiều lần. Vui lòng thử lại sau \(when)."
    }
}
