import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Login sessions. Tokens name their session; a revoked or expired session, or a user since deactivated,
/// locked or made to change password by an admin, makes every token of it void in Documents at once
/// (the other services see tokens expire within their short lifetime).
struct SessionStore: SessionRevocation {
    let client: PostgresClient
    let logger: Logger

    static func create(
        id: UUID, userID: UUID, expiresAt: Date, address: String?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            "insert into sessions (id, user_id, expires_at, address) values (\(id), \(userID), \(expiresAt), \(address))",
            logger: logger)
    }

    static func revoke(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("update sessions set revoked_at = now() where id = \(id) and revoked_at is null", logger: logger)
    }

    static func revokeAll(userID: UUID, except keep: UUID? = nil, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            update sessions set revoked_at = now()
            where user_id = \(userID) and revoked_at is null and (\(keep)::uuid is null or id <> \(keep))
            """, logger: logger)
    }

    /// The session's expiry if it is still usable.
    static func liveExpiry(_ id: UUID, userID: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Date? {
        let rows = try await connection.query(
            """
            select s.expires_at from sessions s join users u on u.id = s.user_id
            where s.id = \(id) and s.user_id = \(userID) and s.revoked_at is null and s.expires_at > now()
              and u.active and not u.locked
            """, logger: logger)
        for try await expiry in rows.decode(Date.self) { return expiry }
        return nil
    }

    func isRevoked(sessionID: UUID, userID: UUID) async throws -> Bool {
        try await client.withConnection { connection in
            try await Self.liveExpiry(sessionID, userID: userID, on: connection, logger: logger) == nil
        }
    }
}
