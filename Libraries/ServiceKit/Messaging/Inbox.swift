import Logging
import PostgresNIO

/// Message ids a consumer has handled. Claimed in the transaction of the handling itself, so a
/// redelivered message (a consumer killed before its ack) finds its id and has no second effect.
public enum Inbox {
    /// Records `messageID` as handled by `consumer`; false if it already was.
    public static func claim(
        messageID: String, type: String?, consumer: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            insert into inbox (consumer, message_id, message_type) values (\(consumer), \(messageID), \(type))
            on conflict do nothing returning 1
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Records every message id of a batch in one statement; the ids that were new.
    public static func claim(
        batch: [(messageID: String, type: String?)], consumer: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> Set<String> {
        let rows = try await connection.query(
            """
            insert into inbox (consumer, message_id, message_type)
            select \(consumer), id, nullif(type, '') from unnest(\(batch.map(\.messageID))::text[], \(batch.map { $0.type ?? "" })::text[]) as m (id, type)
            on conflict do nothing returning message_id
            """, logger: logger)
        var new: Set<String> = []
        for try await id in rows.decode(String.self) { new.insert(id) }
        return new
    }

    /// Forgets message ids whose handling was refused, so that a message sent again later is handled.
    public static func release(_ messageIDs: [String], consumer: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard !messageIDs.isEmpty else { return }
        try await connection.query(
            "delete from inbox where consumer = \(consumer) and message_id = any(\(messageIDs))", logger: logger)
    }
}
