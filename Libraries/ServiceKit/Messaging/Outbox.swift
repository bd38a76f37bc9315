import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Writes events in the caller's transaction, so an event exists if and only if its data does.
/// `OutboxRelay` publishes them after commit.
public enum Outbox {
    public static func enqueue(_ message: OutboxMessage, on connection: PostgresConnection, logger: Logger) async throws {
        let headers = String(decoding: try JSONEncoder().encode(message.headers), as: UTF8.self)
        try await connection.query(
            """
            insert into outbox (message_id, message_type, exchange, routing_key, body, headers)
            values (\(message.messageID), \(message.type), \(message.exchange), \(message.routingKey),
                    \(ByteBuffer(bytes: message.body)), \(headers))
            """, logger: logger)
    }

    /// Many events in one statement, in order.
    public static func enqueue(_ messages: [OutboxMessage], on connection: PostgresConnection, logger: Logger) async throws {
        guard !messages.isEmpty else { return }
        let encoder = JSONEncoder()
        let headers = try messages.map { String(decoding: try encoder.encode($0.headers), as: UTF8.self) }
        try await connection.query(
            """
            insert into outbox (message_id, message_type, exchange, routing_key, body, headers)
            select * from unnest(\(messages.map(\.messageID))::uuid[], \(messages.map(\.type))::text[], \(messages.map(\.exchange))::text[],
                \(messages.map(\.routingKey))::text[], \(messages.map { ByteBuffer(bytes: $0.body) })::bytea[], \(headers)::text[])
            """, logger: logger)
    }
}
