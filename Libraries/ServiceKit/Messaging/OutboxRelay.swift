import AMQPClient
import Foundation
import Logging
import Metrics
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Publishes committed outbox rows with publisher confirms, in order, and deletes each row once the
/// broker confirmed it. Rows are locked (`skip locked`) while in flight, so several relays may run.
/// A crash after the confirm and before the delete publishes that row again with the same `message_id`,
/// which consumers' inboxes ignore: together, exactly one effect.
public final class OutboxRelay: Service {
    let client: PostgresClient
    let publisher: AMQPConnection
    let appID: String
    let logger: Logger
    let batchSize: Int
    let pollInterval: Duration
    private let relayed = Counter(label: "ioffice_outbox_relayed_total")
    private let failed = Counter(label: "ioffice_outbox_publish_failures_total")

    public init(
        client: PostgresClient, publisher: AMQPConnection, appID: String, logger: Logger, batchSize: Int = 256,
        pollInterval: Duration = .milliseconds(100)
    ) {
        self.client = client
        self.publisher = publisher
        self.appID = appID
        self.logger = logger
        self.batchSize = batchSize
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            var backoff = self.pollInterval
            while !Task.isCancelled {
                do {
                    let count = try await self.relayBatch()
                    backoff = self.pollInterval
                    if count == 0 { try await Task.sleep(for: self.pollInterval) }
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.warning("outbox relay failed, retrying", metadata: ["error": "\(String(reflecting: error))"])
                    try await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                }
            }
        }
    }

    /// Relays up to one batch; returns how many rows it tried. Confirmed rows are deleted in the same
    /// transaction that locked them; failed ones stay for the next round.
    @discardableResult
    public func relayBatch() async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                select id, message_id, message_type, exchange, routing_key, body, headers, created_at
                from outbox order by id limit \(self.batchSize) for update skip locked
                """, logger: self.logger)
            var ids: [Int64] = []
            var messages: [OutgoingMessage] = []
            for try await (id, messageID, type, exchange, routingKey, body, headers, createdAt) in rows.decode(
                (Int64, UUID, String, String, String, ByteBuffer, String, Date).self)
            {
                ids.append(id)
                messages.append(
                    OutgoingMessage(
                        exchange: exchange, routingKey: routingKey, body: Array(buffer: body),
                        properties: AMQPProperties(
                            messageID: messageID.uuidString.lowercased(), type: type, contentType: "application/json",
                            timestamp: createdAt, appID: self.appID, userID: self.publisher.configuration.user,
                            headers: (try? JSONDecoder().decode([String: String].self, from: Data(headers.utf8))) ?? [:])))
            }
            if messages.isEmpty { return 0 }
            let results = await self.publisher.publish(batch: messages)
            let confirmed = zip(ids, results).filter { $0.1 == nil }.map(\.0)
            for (message, result) in zip(messages, results) {
                if let error = result {
                    self.logger.warning(
                        "outbox message not confirmed, will retry",
                        metadata: ["messageID": "\(message.properties.messageID ?? "")", "error": "\(error)"])
                }
            }
            if !confirmed.isEmpty {
                try await connection.query("delete from outbox where id = any(\(confirmed))", logger: self.logger)
            }
            self.relayed.increment(by: confirmed.count)
            self.failed.increment(by: messages.count - confirmed.count)
            return messages.count
        }
    }
}
