/// How Notify takes notification requests: a few transactions at once, each with up to 64 requests,
/// so one commit (one disk flush) serves many messages and SMS.
enum NotifyWorkers {
    static let requestsPrefetch: UInt16 = 512
    static let requestsConcurrency = 4
    static let requestsBatch = 64
}
