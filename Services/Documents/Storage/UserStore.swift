import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL for users.
enum UserStore {
    static let columns = """
        id, username, full_name, unit_id, position, roles, permissions, phone, email, active, locked, password_hash,
        must_change_password, failed_logins, locked_until, totp_secret, totp_enabled, totp_last_step, version
        """

    static func find(id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UserRecord? {
        try await records(connection.query("select \(unescaped: columns) from users where id = \(id)", logger: logger)).first
    }

    /// Without a lock: a login reads the row, checks the password outside any transaction, then locks it.
    static func find(username: String, on connection: PostgresConnection, logger: Logger) async throws -> UserRecord? {
        try await records(connection.query("select \(unescaped: columns) from users where username = \(username)", logger: logger)).first
    }

    /// For update: the row stays locked until the transaction ends, so concurrent logins count failures right.
    static func findForUpdate(username: String, on connection: PostgresConnection, logger: Logger) async throws -> UserRecord? {
        try await records(
            connection.query("select \(unescaped: columns) from users where username = \(username) for update", logger: logger)
        ).first
    }

    static func findForUpdate(id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UserRecord? {
        try await records(connection.query("select \(unescaped: columns) from users where id = \(id) for update", logger: logger)).first
    }

    static func insert(_ user: UserRecord, searchKey: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            insert into users (id, username, full_name, search_key, unit_id, position, roles, permissions, phone, email,
                               password_hash, must_change_password)
            values (\(user.id), \(user.username), \(user.fullName), \(searchKey), \(user.unitId), \(user.position),
                    \(user.roles.map(\.rawValue)), \(user.permissions.map(\.rawValue)), \(user.phone), \(user.email),
                    \(user.passwordHash), \(user.mustChangePassword))
            """, logger: logger)
    }

    /// Writes the profile fields and returns the new version.
    static func updateProfile(_ user: UserRecord, searchKey: String, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        try await version(
            connection.query(
                """
                update users set full_name = \(user.fullName), search_key = \(searchKey), unit_id = \(user.unitId),
                    position = \(user.position), roles = \(user.roles.map(\.rawValue)), permissions = \(user.permissions.map(\.rawValue)),
                    phone = \(user.phone), email = \(user.email), active = \(user.active), locked = \(user.locked),
                    updated_at = now(), version = version + 1
                where id = \(user.id) returning version
                """, logger: logger))
    }

    static func setPassword(
        userID: UUID, hash: String, mustChange: Bool, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            update users set password_hash = \(hash), must_change_password = \(mustChange), password_changed_at = now(),
                failed_logins = 0, locked_until = null, updated_at = now()
            where id = \(userID)
            """, logger: logger)
    }

    /// Counted for the administrator to see; the wait itself is `LoginThrottle`'s, never a lock on the account.
    static func recordFailure(userID: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "update users set failed_logins = least(failed_logins + 1, 1000000) where id = \(userID)", logger: logger)
    }

    static func recordSuccess(userID: UUID, totpStep: Int64?, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            update users set failed_logins = 0, locked_until = null, totp_last_step = coalesce(\(totpStep), totp_last_step)
            where id = \(userID)
            """, logger: logger)
    }

    static func setTOTP(
        userID: UUID, secret: String?, enabled: Bool, lastStep: Int64?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            update users set totp_secret = \(secret), totp_enabled = \(enabled), totp_last_step = \(lastStep), updated_at = now()
            where id = \(userID)
            """, logger: logger)
    }

    /// Usernames starting with `prefix`, to pick a free suggestion.
    static func usernames(startingWith prefix: String, on connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        var names: Set<String> = []
        let pattern = prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
        let rows = try await connection.query("select username from users where username like \(pattern)", logger: logger)
        for try await name in rows.decode(String.self) { names.insert(name) }
        return names
    }

    /// Users for the admin list or the directory: `query` matches name or username without diacritics.
    static func search(
        searchKey: String?, unitID: UUID?, activeOnly: Bool, limit: Int, offset: Int, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> (users: [UserRecord], total: Int) {
        let pattern = searchKey.map { "%\($0)%" }
        let filter: PostgresQuery = """
            from users where (\(pattern)::text is null or search_key like \(pattern) or username like \(pattern))
              and (\(unitID)::uuid is null or unit_id = \(unitID))
              and (not \(activeOnly) or (active and not locked))
            """
        let page = try await PagedQuery.run(
            columns: columns, from: filter, orderBy: "search_key, username", limit: limit, offset: offset, on: connection, logger: logger)
        let users = try await records(page.rows)
        let total = page.total
        return (users, total)
    }

    private static func version(_ rows: PostgresRowSequence) async throws -> Int64 {
        for try await version in rows.decode(Int64.self) { return version }
        return 0
    }

    static func records(_ rows: PostgresRowSequence) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for try await row in rows {
            let r = row.makeRandomAccess()
            users.append(
                UserRecord(
                    id: try r["id"].decode(UUID.self), username: try r["username"].decode(String.self),
                    fullName: try r["full_name"].decode(String.self), unitId: try r["unit_id"].decode(UUID.self),
                    position: try r["position"].decode(String.self),
                    roles: try r["roles"].decode([String].self).compactMap(Role.init(rawValue:)),
                    permissions: try r["permissions"].decode([String].self).compactMap(Permission.init(rawValue:)),
                    phone: try r["phone"].decode(String?.self), email: try r["email"].decode(String?.self),
                    active: try r["active"].decode(Bool.self), locked: try r["locked"].decode(Bool.self),
                    passwordHash: try r["password_hash"].decode(String.self),
                    mustChangePassword: try r["must_change_password"].decode(Bool.self),
                    failedLogins: try r["failed_logins"].decode(Int.self), lockedUntil: try r["locked_until"].decode(Date?.self),
                    totpSecret: try r["totp_secret"].decode(String?.self), totpEnabled: try r["totp_enabled"].decode(Bool.self),
                    totpLastStep: try r["totp_last_step"].decode(Int64?.self), version: try r["version"].decode(Int64.self)))
        }
        return users
    }
}
