import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Personal files (tài liệu) and their shares.
enum PersonalFileStore {
    static let migration = Migration(
        version: 14, name: "personal files",
        statements: [
            """
            create table personal_files (
                id uuid primary key,
                owner_id uuid not null references users (id),
                name text not null,
                content_type text not null,
                size bigint not null,
                sha256 text not null,
                data bytea not null,
                created_at timestamptz not null default now(),
                deleted_at timestamptz)
            """,
            "create index personal_files_owner on personal_files (owner_id, deleted_at, created_at desc)",
            """
            create table personal_file_shares (
                file_id uuid not null references personal_files (id) on delete cascade,
                user_id uuid references users (id),
                unit_id uuid references units (id),
                check ((user_id is null) <> (unit_id is null)))
            """,
            "create unique index personal_file_shares_once on personal_file_shares (file_id, coalesce(user_id, unit_id))",
            "create index personal_file_shares_user on personal_file_shares (user_id)",
            "create index personal_file_shares_unit on personal_file_shares (unit_id)",
            // A personal file can be kept in a dossier too.
            "alter table dossier_entries drop constraint dossier_entries_kind_check",
            "alter table dossier_entries add constraint dossier_entries_kind_check check (kind in ('incoming', 'outgoing', 'task', 'file'))",
        ])

    struct View: Codable, Sendable, Equatable {
        var id: UUID
        var name: String
        var contentType: String
        var size: Int
        var sha256: String
        var ownerName: String
        var createdAt: Date
        var deletedAt: Date?
        var mine: Bool
    }

    /// A file's owner, deleted state and shares; `lock` holds its row until commit.
    static func rules(_ id: UUID, lock: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> PersonalFileRules.File? {
        let sql = """
            select f.owner_id, f.deleted_at is not null,
                coalesce((select array_agg(user_id) from personal_file_shares s where s.file_id = f.id and user_id is not null), '{}'),
                coalesce((select array_agg(unit_id) from personal_file_shares s where s.file_id = f.id and unit_id is not null), '{}')
            from personal_files f where f.id = $1
            """ + (lock ? " for update of f" : "")
        var binds = PostgresBindings()
        try binds.encode(id)
        for try await (owner, deleted, users, units) in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            .decode((UUID, Bool, [UUID], [UUID]).self)
        {
            return .init(owner: owner, deleted: deleted, sharedUsers: Set(users), sharedUnits: Set(units))
        }
        return nil
    }

    /// `mine`, `shared` (with the person or their unit) or `deleted` (theirs, still restorable).
    static func list(
        _ view: String, person: UUID, unit: UUID?, limit: Int, offset: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> (items: [View], total: Int) {
        let condition: String
        switch view {
        case "shared":
            condition = """
                f.deleted_at is null and f.owner_id <> $1 and exists (select 1 from personal_file_shares s where s.file_id = f.id
                    and (s.user_id = $1 or s.unit_id = $2))
                """
        case "deleted": condition = "f.owner_id = $1 and f.deleted_at is not null"
        default: condition = "f.owner_id = $1 and f.deleted_at is null"
        }
        var binds = PostgresBindings()
        try binds.encode(person)
        try binds.encode(unit)
        var total = 0
        for try await count in try await connection.query(
            PostgresQuery(unsafeSQL: "select count(*)::int from personal_files f where \(condition)", binds: binds), logger: logger
        ).decode(Int.self) { total = count }
        try binds.encode(limit)
        try binds.encode(offset)
        var items: [View] = []
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    select f.id, f.name, f.content_type, f.size, f.sha256, u.full_name, f.created_at, f.deleted_at, f.owner_id = $1
                    from personal_files f join users u on u.id = f.owner_id where \(condition)
                    order by coalesce(f.deleted_at, f.created_at) desc, f.id limit $3 offset $4
                    """, binds: binds), logger: logger)
        for try await (id, name, type, size, sha, owner, created, deleted, mine) in rows.decode(
            (UUID, String, String, Int, String, String, Date, Date?, Bool).self)
        {
            items.append(View(id: id, name: name, contentType: type, size: size, sha256: sha, ownerName: owner, createdAt: created, deletedAt: deleted, mine: mine))
        }
        return (items, total)
    }

    /// Files deleted longer ago than the rules keep them are removed for good; returns how many.
    static func purge(before: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var removed = 0
        for try await _ in try await connection.query(
            "delete from personal_files where deleted_at < \(before) returning 1", logger: logger) { removed += 1 }
        return removed
    }
}
