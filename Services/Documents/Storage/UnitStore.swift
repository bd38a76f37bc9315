import Foundation
import Logging
import PostgresNIO

/// SQL for units.
enum UnitStore {
    static let columns = "id, parent_id, code, name, abbreviation, version"

    static func all(on connection: PostgresConnection, logger: Logger) async throws -> [UnitRecord] {
        try await records(connection.query("select \(unescaped: columns) from units order by code", logger: logger))
    }

    static func find(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> UnitRecord? {
        try await records(connection.query("select \(unescaped: columns) from units where id = \(id)", logger: logger)).first
    }

    static func insert(_ unit: UnitRecord, searchKey: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            insert into units (id, parent_id, code, name, abbreviation, search_key)
            values (\(unit.id), \(unit.parentId), \(unit.code), \(unit.name), \(unit.abbreviation), \(searchKey))
            """, logger: logger)
    }

    /// Writes the unit and returns its new version.
    static func update(_ unit: UnitRecord, searchKey: String, on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query(
            """
            update units set parent_id = \(unit.parentId), code = \(unit.code), name = \(unit.name),
                abbreviation = \(unit.abbreviation), search_key = \(searchKey), updated_at = now(), version = version + 1
            where id = \(unit.id) returning version
            """, logger: logger)
        for try await version in rows.decode(Int64.self) { return version }
        return unit.version
    }

    static func delete(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("delete from units where id = \(id)", logger: logger)
    }

    /// Each unit's parent, for cycle checks.
    static func parents(on connection: PostgresConnection, logger: Logger) async throws -> [UUID: UUID] {
        var parents: [UUID: UUID] = [:]
        let rows = try await connection.query("select id, parent_id from units where parent_id is not null", logger: logger)
        for try await (id, parent) in rows.decode((UUID, UUID).self) { parents[id] = parent }
        return parents
    }

    /// How many users, child units and registers still hang on the unit.
    static func dependants(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (users: Int, children: Int, registers: Int) {
        let rows = try await connection.query(
            """
            select (select count(*) from users where unit_id = \(id))::int,
                   (select count(*) from units where parent_id = \(id))::int,
                   (select count(*) from registers where unit_id = \(id))::int
            """, logger: logger)
        for try await counts in rows.decode((Int, Int, Int).self) { return counts }
        return (0, 0, 0)
    }

    static func leaderIds(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [UUID] {
        var ids: [UUID] = []
        let rows = try await connection.query(
            "select id from users where unit_id = \(id) and 'unitLeader' = any(roles) and active and not locked order by id",
            logger: logger)
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }

    private static func records(_ rows: PostgresRowSequence) async throws -> [UnitRecord] {
        var units: [UnitRecord] = []
        for try await (id, parent, code, name, abbreviation, version) in rows.decode((UUID, UUID?, String, String, String, Int64).self) {
            units.append(UnitRecord(id: id, parentId: parent, code: code, name: name, abbreviation: abbreviation, version: version))
        }
        return units
    }
}
