import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// `status.v1` back to the agency that sent a document, through the outbox of the transaction that
/// decided it. `asSent` is the sender's own spelling of `documentId`, echoed as it was.
enum StatusReplies {
    static func send(
        _ statuses: [DocumentStatus], documentId: UUID, asSent: String? = nil, to sender: AgencyRef, from us: AgencyRef, note: String? = nil, at now: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        for status in statuses {
            let message = StatusV1(
                documentId: documentId, from: us, to: sender, status: status, at: now, note: note, documentIdAsSent: asSent)
            try await Outbox.enqueue(
                OutboxMessage(
                    type: StatusV1.messageType, exchange: Routes.interAgencyExchange, routingKey: Routes.status(to: sender.code),
                    body: try message.encoded()), on: connection, logger: logger)
        }
    }
}
