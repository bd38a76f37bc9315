import Contracts
import Crypto
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Consumes `signing.verify`: checks the document's signatures (on the verification pool, before any
/// transaction opens) and publishes `verification.v1` on `ioffice.events` (routing key
/// `signing.verified`) through the outbox, with the report stored in the same transaction. A request
/// that is not a valid `verify-request.v1` goes to the dead-letter queue; a document whose signatures
/// do not hold is a normal `failed` report.
struct VerifyRequestHandler: PreparingMessageHandler {
    let pool: VerificationPool

    struct Prepared: Sendable {
        var request: VerifyRequestV1
        var report: VerificationV1
    }

    func prepare(_ message: IncomingMessage, logger: Logger) async throws -> Prepared {
        let request: VerifyRequestV1
        do {
            request = try VerifyRequestV1.decode(message.body)
            try request.validate()
        } catch {
            throw MessageRejected("\(error)")
        }
        let findings: [SignatureFinding]
        if let data = request.document.data {
            guard let document = Data(base64Encoded: data).map(Array.init) else { throw MessageRejected("document.data không phải base64") }
            guard Self.sha256(document) == request.document.sha256.lowercased() else {
                throw MessageRejected("document.sha256 không khớp với nội dung gửi kèm")
            }
            let signature = request.signature.flatMap { Data(base64Encoded: $0) }.map(Array.init)
            findings = try await pool.verify(signature.map { .detached(document: document, signature: $0) } ?? .pdf(document))
        } else {
            findings = [SignatureFinding(coversWholeDocument: false, reasons: [.unsupportedReference])]
        }
        return Prepared(request: request, report: SignatureVerifier.report(findings, verificationId: UUID(), requestId: request.requestId))
    }

    func handle(_ message: IncomingMessage, prepared: Prepared, connection: PostgresConnection, logger: Logger) async throws {
        let (request, report) = (prepared.request, prepared.report)
        try await VerificationStore.insert(
            report, documentSHA256: request.document.sha256.lowercased(), requestedBy: message.properties.appID, on: connection,
            logger: logger)
        try await Outbox.enqueue(
            OutboxMessage(
                type: VerificationV1.messageType, exchange: Routes.eventsExchange, routingKey: Routes.signingVerifiedKey,
                body: try report.encoded()), on: connection, logger: logger)
    }

    static func sha256(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }
}
