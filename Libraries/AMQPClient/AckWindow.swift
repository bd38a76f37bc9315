/// Collapses a consumer channel's acks into `multiple` acks.
///
/// Delivery tags on a channel count up from 1. An ack with `multiple` settles every outstanding tag up
/// to its own, so it may only be sent for the top of a run of tags the reader has all settled; tags
/// settled out of order wait until the run reaches them. Nacks go out one by one at once; a `multiple`
/// ack must name a tag still outstanding, so it names the highest *acked* tag of the run.
struct AckWindow {
    /// The lowest tag the reader has not settled yet.
    private var next: UInt64 = 1
    /// Tags settled above `next`: true for an ack, false for a nack already sent.
    private var ahead: [UInt64: Bool] = [:]
    /// The highest acked tag of the settled run not yet sent to the broker.
    private var pendingAck: UInt64?
    /// The highest tag delivered on the channel so far.
    private var highestDelivered: UInt64 = 0

    /// Records that the broker delivered `tag`.
    mutating func delivered(_ tag: UInt64) { highestDelivered = max(highestDelivered, tag) }

    /// Whether every delivered tag has been settled (acks perhaps not yet sent: see `takeAck`).
    var isSettled: Bool { next > highestDelivered }

    /// Records a settlement; returns whether the broker must hear about it now (a nack).
    mutating func settle(_ tag: UInt64, ack: Bool) -> Bool {
        guard tag >= next else { return false }  // already settled
        ahead[tag] = ack
        while let isAck = ahead.removeValue(forKey: next) {
            if isAck { pendingAck = next }
            next += 1
        }
        return !ack
    }

    /// The tag to send a `multiple` ack for, if any; clears it.
    mutating func takeAck() -> UInt64? {
        defer { pendingAck = nil }
        return pendingAck
    }
}
