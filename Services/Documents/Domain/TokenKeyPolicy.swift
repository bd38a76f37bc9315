import Foundation

/// When the key that signs access tokens is replaced, and how long each key is published. A new key is
/// published `publishAhead` before it signs anything, so every replica and every service that fetches the
/// key set knows it before the first token it signs arrives; a replaced key stays published for
/// `keepRetired` (at least a token's lifetime) after its successor started signing, so no token still
/// alive is refused; then it is deleted and tokens it signed are refused everywhere.
struct TokenKeyPolicy: Sendable {
    var rotateAfter: TimeInterval = 30 * 86_400
    var publishAhead: TimeInterval = 120
    var keepRetired: TimeInterval = 900 + 300

    struct Key: Equatable, Sendable {
        var kid: String
        var createdAt: Date
    }

    /// Whether a new key must be made: none yet, or the newest is older than `rotateAfter`.
    func needsNewKey(_ keys: [Key], now: Date) -> Bool {
        guard let newest = keys.map(\.createdAt).max() else { return true }
        return now.timeIntervalSince(newest) >= rotateAfter
    }

    /// The key that signs now: the newest one published for `publishAhead`, else (a first start, or every
    /// key younger than that) the oldest there is.
    func signing(_ keys: [Key], now: Date) -> Key? {
        let newestFirst = keys.sorted { $0.createdAt > $1.createdAt }
        return newestFirst.first { now.timeIntervalSince($0.createdAt) >= publishAhead } ?? newestFirst.last
    }

    /// The keys to delete: each older than the signing key whose successor has been signing for longer
    /// than `keepRetired`.
    func retired(_ keys: [Key], now: Date) -> [Key] {
        guard let signing = signing(keys, now: now) else { return [] }
        let oldestFirst = keys.sorted { $0.createdAt < $1.createdAt }
        return zip(oldestFirst, oldestFirst.dropFirst()).compactMap { key, successor in
            guard key.createdAt < signing.createdAt else { return nil }
            let successorSigned = successor.createdAt.addingTimeInterval(publishAhead)
            return now.timeIntervalSince(successorSigned) > keepRetired ? key : nil
        }
    }
}
