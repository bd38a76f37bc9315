import Contracts
import Logging
import PostgresNIO
import ServiceKit

/// Consumes `documents.events`: the Signing service's verdicts on our files (an outgoing document's
/// signed final file, or an attachment that arrived from another agency).
struct EventsHandler: MessageHandler {
    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        let report = try message.contract(VerificationV1.self)
        guard try await OutgoingStore.recordVerdict(report, on: connection, logger: logger) else {
            // A verdict on a file since deleted (or another deployment's): nothing to record, nothing lost.
            logger.notice("verification for an unknown file", metadata: ["request": "\(report.requestId)"])
            return
        }
        logger.info("signature verdict recorded", metadata: ["request": "\(report.requestId)", "result": "\(report.result.rawValue)"])
    }
}
