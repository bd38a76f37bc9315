import Contracts
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Consumes `calendar.events`: people and units as Documents announces them; the highest version wins.
struct DirectoryHandler: MessageHandler {
    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        do {
            switch message.type {
            case DirectoryUserV1.messageType:
                let user = try DirectoryUserV1.decode(message.body)
                try await connection.query(
                    """
                    insert into people (user_id, full_name, unit_id, roles, active, version)
                    values (\(user.userId), \(VietnameseText.clean(user.fullName)), \(user.unitId), \(user.roles), \(user.active), \(user.version))
                    on conflict (user_id) do update set full_name = excluded.full_name, unit_id = excluded.unit_id, roles = excluded.roles,
                        active = excluded.active, version = excluded.version
                    where people.version < excluded.version
                    """, logger: logger)
            case DirectoryUnitV1.messageType:
                let unit = try DirectoryUnitV1.decode(message.body)
                try await connection.query(
                    """
                    insert into units (unit_id, name, leader_ids, active, version)
                    values (\(unit.unitId), \(VietnameseText.clean(unit.name)), \(unit.leaderIds), \(!unit.deleted), \(unit.version))
                    on conflict (unit_id) do update set name = excluded.name, leader_ids = excluded.leader_ids, active = excluded.active,
                        version = excluded.version
                    where units.version < excluded.version
                    """, logger: logger)
            default:
                throw MessageRejected("loại thông điệp không được hỗ trợ (unsupported type \(message.type ?? "none"))")
            }
        } catch let error as DecodingError {
            throw MessageRejected("\(error)")
        }
    }
}
