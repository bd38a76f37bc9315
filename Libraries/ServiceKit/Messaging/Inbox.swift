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
}
