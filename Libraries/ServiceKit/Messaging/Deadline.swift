import Synchronization

/// The work did not answer within its deadline; it was cancelled and abandoned.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    public let what: String
    public let limit: Duration
    public var description: String { "\(what) did not finish within \(limit)" }
}

/// Runs `body` in a task of its own and returns its result, or throws `DeadlineExceeded` once `limit`
/// has passed, cancelling the task and no longer waiting for it.
///
/// Why not a task group: a group waits for its children, and the hang this guards against does not
/// answer cancellation. PostgresNIO can leave a query unanswered when the server dies under it
/// (seen here with `COMMIT` during an immediate shutdown; vapor/postgres-nio#487 and its revert), and
/// one such query would otherwise hold a message, and behind it the channel's acks, for good.
public func withDeadline<T: Sendable>(
    _ limit: Duration, _ what: String, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = DeadlineRace<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation) {
                let work = Task {
                    do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
                }
                let timer = Task {
                    try await Task.sleep(for: limit)
                    work.cancel()
                    race.finish(.failure(DeadlineExceeded(what: what, limit: limit)))
                }
                return (work, timer)
            }
        }
    } onCancel: {
        race.cancel()
    }
}

/// Whichever of the work, the timer and the caller's cancellation comes first answers the caller once.
private final class DeadlineRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, any Error>?
        var cancelled = false
    }
    private let state = Mutex(State())

    func start(
        _ continuation: CheckedContinuation<T, any Error>,
        _ launch: () -> (Task<Void, Never>, Task<Void, any Error>)
    ) {
        let alreadyCancelled = state.withLock { state in
            state.continuation = continuation
            return state.cancelled
        }
        if alreadyCancelled { return finish(.failure(CancellationError())) }
        let (work, timer) = launch()
        let (late, cancelled) = state.withLock { state in
            state.work = work
            state.timer = timer
            return (state.continuation == nil, state.cancelled)
        }
        if late { timer.cancel() }
        if cancelled {
            work.cancel()
            finish(.failure(CancellationError()))
        }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, timer) = state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume(with: result)
    }

    func cancel() {
        let work = state.withLock { state in
            state.cancelled = true
            return state.work
        }
        work?.cancel()
        if work != nil { finish(.failure(CancellationError())) }
    }
}
