import Foundation
import Logging

/// Fault injection for the tests that kill a real service process at an exact step (`IOFFICE_FAILPOINT`,
/// comma-separated names). Off unless set: an unset variable costs one set lookup per use.
public enum Failpoint: String, Sendable, CaseIterable {
    /// A consumer committed a message's transaction and has not acked it yet.
    case beforeAck = "queue-worker.before-ack"

    static let active: Set<String> = Set(
        (ProcessInfo.processInfo.environment["IOFFICE_FAILPOINT"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        })

    var isActive: Bool { Self.active.contains(rawValue) }

    /// When active, logs that the point was reached and holds the caller until its task is cancelled,
    /// so that the test can `SIGKILL` the process right there.
    func hold(logger: Logger, _ metadata: Logger.Metadata = [:]) async {
        guard isActive else { return }
        logger.critical("failpoint \(rawValue) reached, holding", metadata: metadata)
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }
}
