import Synchronization

/// Deliveries handed from the connection thread to one consuming task.
///
/// A read batch arrives in one lock operation and resumes a waiting reader once, not once per message.
final class DeliveryBuffer: Sendable {
    private struct State {
        var items: [AMQPDelivery] = []
        var head = 0
        var waiter: CheckedContinuation<AMQPDelivery?, any Error>?
        var ended = false
        var failure: (any Error)?

        mutating func pop() -> AMQPDelivery? {
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            }
            return item
        }
    }
    private let state = Mutex(State())

    init() {}

    /// From the connection thread, once per read batch: a waiting reader is resumed once, not per message.
    func yield(contentsOf deliveries: [AMQPDelivery]) {
        guard let first = deliveries.first else { return }
        let waiter = state.withLock { state -> CheckedContinuation<AMQPDelivery?, any Error>? in
            guard !state.ended else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                state.items.append(contentsOf: deliveries.dropFirst())
                return waiter
            }
            state.items.append(contentsOf: deliveries)
            return nil
        }
        waiter?.resume(returning: first)
    }

    /// Ends the sequence after what is buffered; with an error, that error follows it.
    func finish(throwing error: (any Error)? = nil) {
        let waiter = state.withLock { state -> CheckedContinuation<AMQPDelivery?, any Error>? in
            guard !state.ended else { return nil }
            state.ended = true
            state.failure = error
            defer { state.waiter = nil }
            return state.items.count == state.head ? state.waiter : nil
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// Ends the sequence at once and returns what the reader had not taken yet (the caller requeues it).
    func drain() -> [AMQPDelivery] {
        let (unread, waiter) = state.withLock { state -> ([AMQPDelivery], CheckedContinuation<AMQPDelivery?, any Error>?) in
            let unread = Array(state.items[state.head...])
            state.items.removeAll()
            state.head = 0
            state.ended = true
            defer { state.waiter = nil }
            return (unread, state.waiter)
        }
        waiter?.resume(returning: nil)
        return unread
    }

    /// The next delivery; nil at the end or when the reading task is cancelled.
    func next() async throws -> AMQPDelivery? {
        if let ready = try takeBuffered() { return ready }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate = state.withLock { state -> Result<AMQPDelivery?, any Error>? in
                    if let item = state.pop() { return .success(item) }
                    if state.ended { return state.failure.map { .failure($0) } ?? .success(nil) }
                    if Task.isCancelled { return .success(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }

    private func takeBuffered() throws -> AMQPDelivery? {
        try state.withLock { state in
            if let item = state.pop() { return item }
            if state.ended, let failure = state.failure {
                state.failure = nil
                throw failure
            }
            return nil
        }
    }
}
