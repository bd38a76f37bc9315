import Logging
import ServiceLifecycle

/// Runs `round` at once and then every `interval`, until the task is cancelled or the service group
/// shuts down gracefully (which ends the wait at once). A round that fails is logged as `what` and the
/// next one runs as planned: a background watch never stops over one bad round.
public func repeatEvery(_ interval: Duration, what: String, logger: Logger, _ round: () async throws -> Void) async throws {
    while !Task.isCancelled {
        do {
            try await round()
        } catch {
            logger.warning("\(what) failed", metadata: ["error": "\(String(reflecting: error))"])
        }
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        } catch is CancellationError {
            // Shutting down is how a watch ends, not a failure: the service group stops cleanly (exit 0).
            return
        }
    }
}
