import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Publishes directory changes through the outbox, in the transaction that made them, so Notify and
/// Calendar learn of every committed change and of nothing else.
enum DirectoryEvents {
    static func userChanged(_ user: UserRecord, on connection: PostgresConnection, logger: Logger) async throws {
        let event = DirectoryUserV1(
            userId: user.id, username: user.username, fullName: user.fullName, unitId: user.unitId, position: user.position,
            phone: user.phone, email: user.email, roles: user.roles.map(\.rawValue), permissions: user.permissions.map(\.rawValue),
            active: user.active && !user.locked, version: user.version)
        try await enqueue(event, key: Routes.directoryUserChangedKey, on: connection, logger: logger)
    }

    /// The unit as stored now (with its current leaders), or its removal.
    static func unitChanged(_ unit: UnitRecord, deleted: Bool = false, on connection: PostgresConnection, logger: Logger) async throws {
        let leaders = deleted ? [] : try await UnitStore.leaderIds(of: unit.id, on: connection, logger: logger)
        let event = DirectoryUnitV1(
            unitId: unit.id, parentId: unit.parentId, code: unit.code, name: unit.name, abbreviation: unit.abbreviation,
            leaderIds: leaders, deleted: deleted, version: unit.version + (deleted ? 1 : 0))
        try await enqueue(event, key: Routes.directoryUnitChangedKey, on: connection, logger: logger)
    }

    /// When a user's leader role or unit changes, the units whose leader lists changed.
    static func leadersChanged(units: Set<UUID>, on connection: PostgresConnection, logger: Logger) async throws {
        for id in units.sorted(by: { $0.uuidString < $1.uuidString }) {
            // Bump the version so a copy takes the new leader list over the one it holds.
            try await connection.query("update units set version = version + 1 where id = \(id)", logger: logger)
            if let unit = try await UnitStore.find(id, on: connection, logger: logger) {
                try await unitChanged(unit, on: connection, logger: logger)
            }
        }
    }

    private static func enqueue(_ event: some ContractMessage, key: String, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await Outbox.enqueue(
            OutboxMessage(type: type(of: event).messageType, exchange: Routes.eventsExchange, routingKey: key, body: try event.encoded()),
            on: connection, logger: logger)
    }
}
