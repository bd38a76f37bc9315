import Foundation
import Logging
import PostgresNIO

/// The append-only usage log (nhật ký sử dụng): who did what, when, from where. Written in the same
/// transaction as the action, so the log holds exactly what happened.
enum UsageLog {
    struct Entry: Codable, Sendable, Equatable {
        var id: Int64
        var at: Date
        var userId: UUID?
        var username: String
        var action: String
        var actionName: String
        var target: String?
        var detail: String?
        var address: String?
    }

    static func append(
        _ action: UsageAction, userID: UUID?, username: String, target: String? = nil, detail: String? = nil, address: String?,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            insert into usage_log (user_id, username, action, target, detail, address)
            values (\(userID), \(username), \(action.rawValue), \(target), \(detail), \(address))
            """, logger: logger)
    }

    static func query(
        username: String?, userID: UUID? = nil, action: String?, from: Date?, to: Date?, limit: Int, offset: Int, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> (entries: [Entry], total: Int) {
        let filter: PostgresQuery = """
            from usage_log where (\(username)::text is null or username = \(username))
              and (\(userID)::uuid is null or user_id = \(userID))
              and (\(action)::text is null or action = \(action))
              and (\(from)::timestamptz is null or at >= \(from)) and (\(to)::timestamptz is null or at < \(to))
            """
        let (rows, total) = try await PagedQuery.run(
            columns: "id, at, user_id, username, action, target, detail, address", from: filter, orderBy: "id desc", limit: limit,
            offset: offset, on: connection, logger: logger)
        var entries: [Entry] = []
        for try await (id, at, user, username, action, target, detail, address) in rows.decode(
            (Int64, Date, UUID?, String, String, String?, String?, String?).self)
        {
            entries.append(
                Entry(
                    id: id, at: at, userId: user, username: username, action: action,
                    actionName: UsageAction(rawValue: action)?.vietnameseName ?? action, target: target, detail: detail,
                    address: address))
        }
        return (entries, total)
    }
}
