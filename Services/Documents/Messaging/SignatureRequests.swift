import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// `verify-request.v1` to the Signing service through the outbox; the request id is the file's id, so
/// the verdict finds its file.
enum SignatureRequests {
    static func enqueue(file id: UUID, bytes: [UInt8], sha256: String, on connection: PostgresConnection, logger: Logger) async throws {
        let request = VerifyRequestV1(requestId: id, document: .init(sha256: sha256, data: Data(bytes).base64EncodedString()))
        try await Outbox.enqueue(
            OutboxMessage(
                type: VerifyRequestV1.messageType, exchange: Routes.eventsExchange, routingKey: Routes.signingVerifyKey, body: try request.encoded()),
            on: connection, logger: logger)
    }

    /// Whether a file is worth verifying: a PDF, by type or by its first bytes.
    static func isPDF(contentType: String, bytes: [UInt8]) -> Bool {
        contentType.lowercased() == "application/pdf" || bytes.starts(with: Array("%PDF-".utf8))
    }
}
