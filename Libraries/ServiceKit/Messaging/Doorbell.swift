import Synchronization

/// Wakes one waiting loop. A ring while nobody waits is kept, so a ring between two waits is never lost;
/// several rings before a wait count as one.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil as CheckedContinuation<Void, Never>?
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the next ring (at once if one came since the last wait), after `limit`, or when cancelled.
    func wait(upTo limit: Duration) async {
        let timer = Task { [self] in
            try await Task.sleep(for: limit)
            ring()
        }
        defer { timer.cancel() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            ring()
        }
        // The timer or the cancellation may have rung after a real ring woke us: that is one spare wake-up, harmless.
    }
}
