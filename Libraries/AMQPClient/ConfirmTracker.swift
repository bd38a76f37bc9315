/// Publisher confirms in flight on the publish channel: delivery tags count up from 1 per channel,
/// and an ack or nack with `multiple` settles every tag up to its own. A `basic.return` is matched to
/// its publish by the tag the publish carried in `publishSequenceHeader`, never by `message_id`, which
/// may be missing or repeated.
struct ConfirmTracker {
    /// The header in which each mandatory publish carries its publish sequence number (its confirm tag),
    /// so that a returned message names the publish it belongs to.
    static let publishSequenceHeader = "x-ioffice-publish-seq"

    private struct Pending {
        var waiter: ConfirmWaiter
        var returned: AMQPError?
    }
    private var pending: [UInt64: Pending] = [:]
    private(set) var nextTag: UInt64 = 1
    private var lowestOpen: UInt64 = 1

    var isEmpty: Bool { pending.isEmpty }
    var count: Int { pending.count }

    mutating func reset() {
        precondition(pending.isEmpty, "reset with publishes in flight")
        nextTag = 1
        lowestOpen = 1
    }

    /// Records a publish just written; its tag is `nextTag`, which it carried in `publishSequenceHeader`.
    mutating func published(waiter: ConfirmWaiter) {
        pending[nextTag] = Pending(waiter: waiter)
        nextTag += 1
    }

    /// A mandatory message came back unroutable; the broker's ack for it follows, and then it fails.
    /// `sequence` is the header value the returned message carried; anything else is ignored.
    mutating func returned(sequence: String?, error: AMQPError) {
        guard let sequence, let tag = UInt64(sequence) else { return }
        pending[tag]?.returned = error
    }

    mutating func settle(upTo tag: UInt64, multiple: Bool, acked: Bool) {
        let tags = multiple ? (tag >= lowestOpen ? Array(lowestOpen...tag) : []) : [tag]
        for tag in tags {
            guard let entry = pending.removeValue(forKey: tag) else { continue }
            if !acked {
                entry.waiter.finish(.nacked)
            } else {
                entry.waiter.finish(entry.returned)
            }
        }
        while lowestOpen < nextTag, pending[lowestOpen] == nil { lowestOpen += 1 }
    }

    /// Fails every publish in flight, e.g. when the channel or connection closed before confirming.
    mutating func failAll(_ error: AMQPError) {
        for entry in pending.values { entry.waiter.finish(error) }
        pending.removeAll()
        lowestOpen = nextTag
    }
}

/// Who waits for a confirm: one caller, or one slot of an ordered batch.
enum ConfirmWaiter {
    case single(CheckedContinuation<Void, any Error>)
    case batch(BatchConfirms, index: Int)

    /// Settles the wait: `nil` means confirmed.
    func finish(_ error: AMQPError?) {
        switch self {
        case .single(let continuation):
            if let error { continuation.resume(throwing: error) } else { continuation.resume() }
        case .batch(let batch, let index):
            batch.settle(index, error)
        }
    }
}

/// Collects the confirms of a batch and answers once all are in. Confined to the connection thread.
final class BatchConfirms {
    private var results: [AMQPError?]
    private var open: Int
    private let continuation: CheckedContinuation<[AMQPError?], Never>

    init(count: Int, continuation: CheckedContinuation<[AMQPError?], Never>) {
        results = Array(repeating: nil, count: count)
        open = count
        self.continuation = continuation
        if count == 0 { continuation.resume(returning: []) }
    }

    func settle(_ index: Int, _ error: AMQPError?) {
        results[index] = error
        open -= 1
        if open == 0 { continuation.resume(returning: results) }
    }
}
