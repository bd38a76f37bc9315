import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Dossiers (hồ sơ công việc), what they hold, and with whom they are shared.
enum DossierStore {
    static let migration = Migration(
        version: 13, name: "dossier tree, entries of every kind, shares",
        statements: [
            "alter table dossiers add column parent_id uuid references dossiers (id) on delete restrict",
            "alter table dossiers add column unit_id uuid references units (id)",
            "alter table dossiers add column closed boolean not null default false",
            "alter table dossiers add column updated_at timestamptz not null default now()",
            "drop index dossiers_owner_name",
            // Sibling names are unique within one person's or one unit's tree.
            """
            create unique index dossiers_sibling_name on dossiers (
                coalesce(unit_id, owner_id), coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))
            """,
            "create index dossiers_parent on dossiers (parent_id)",
            """
            create table dossier_entries (
                id uuid primary key,
                dossier_id uuid not null references dossiers (id) on delete cascade,
                kind text not null check (kind in ('incoming', 'outgoing', 'task')),
                item_id uuid not null,
                added_by uuid references users (id),
                added_at timestamptz not null default now(),
                unique (dossier_id, kind, item_id))
            """,
            """
            insert into dossier_entries (id, dossier_id, kind, item_id, added_by, added_at)
            select gen_random_uuid(), i.dossier_id, 'incoming', i.document_id, d.owner_id, i.added_at
            from dossier_items i join dossiers d on d.id = i.dossier_id
            """,
            "drop table dossier_items",
            """
            create table dossier_shares (
                dossier_id uuid not null references dossiers (id) on delete cascade,
                user_id uuid references users (id),
                unit_id uuid references units (id),
                check ((user_id is null) <> (unit_id is null)))
            """,
            "create unique index dossier_shares_once on dossier_shares (dossier_id, coalesce(user_id, unit_id))",
        ])

    struct Row: Sendable {
        var rules: DossierRules.Dossier
        var name: String
        var ownerName: String
        var updatedAt: Date
        var entries: Int
    }

    /// Dossiers with their shares; `condition` selects (binds from `$1`).
    static func rows(where condition: String, _ binds: PostgresBindings, on connection: PostgresConnection, logger: Logger) async throws -> [Row] {
        let sql = """
            select d.id, d.owner_id, d.unit_id, d.parent_id, d.closed, d.name, u.full_name, d.updated_at,
                (select count(*)::int from dossier_entries e where e.dossier_id = d.id),
                coalesce((select array_agg(s.user_id) from dossier_shares s where s.dossier_id = d.id and s.user_id is not null), '{}'),
                coalesce((select array_agg(s.unit_id) from dossier_shares s where s.dossier_id = d.id and s.unit_id is not null), '{}')
            from dossiers d join users u on u.id = d.owner_id
            where \(condition) order by lower(d.name), d.id limit 2000
            """
        var found: [Row] = []
        for try await (id, owner, unit, parent, closed, name, ownerName, updated, entries, users, units) in try await connection.query(
            PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger
        ).decode((UUID, UUID, UUID?, UUID?, Bool, String, String, Date, Int, [UUID], [UUID]).self) {
            found.append(
                Row(
                    rules: .init(id: id, owner: owner, unit: unit, parent: parent, closed: closed, sharedUsers: Set(users), sharedUnits: Set(units)),
                    name: name, ownerName: ownerName, updatedAt: updated, entries: entries))
        }
        return found
    }

    /// Every dossier the person may read: theirs, their unit's (all units' for the head), shared with them.
    static func visible(to person: DossierRules.Person, on connection: PostgresConnection, logger: Logger) async throws -> [Row] {
        var binds = PostgresBindings()
        try binds.encode(person.id)
        try binds.encode(person.unit)
        try binds.encode(person.roles.contains(.head))
        return try await rows(
            where: """
                (d.unit_id is null and d.owner_id = $1) or (d.unit_id is not null and ($3 or d.unit_id = $2))
                or exists (select 1 from dossier_shares s where s.dossier_id = d.id and (s.user_id = $1 or s.unit_id = $2))
                """, binds, on: connection, logger: logger)
    }

    static func find(_ id: UUID, lock: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> Row? {
        var binds = PostgresBindings()
        try binds.encode(id)
        if lock { try await connection.query("select 1 from dossiers where id = \(id) for update", logger: logger) }
        return try await rows(where: "d.id = $1", binds, on: connection, logger: logger).first
    }

    /// Each dossier's parent, for the cycle check of a move within one tree.
    static func parents(on connection: PostgresConnection, logger: Logger) async throws -> [UUID: UUID] {
        var parents: [UUID: UUID] = [:]
        for try await (id, parent) in try await connection.query("select id, parent_id from dossiers where parent_id is not null", logger: logger)
            .decode((UUID, UUID).self) { parents[id] = parent }
        return parents
    }

    struct Entry: Codable, Sendable, Equatable {
        var id: UUID
        var kind: String
        var itemId: UUID
        var title: String
        var addedAt: Date
    }

    /// What a dossier holds, with each item's subject or title.
    static func entries(of dossier: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [Entry] {
        var found: [Entry] = []
        for try await (id, kind, item, title, at) in try await connection.query(
            """
            select e.id, e.kind, e.item_id,
                coalesce(case e.kind when 'incoming' then (select subject from incoming_documents where id = e.item_id)
                                     when 'outgoing' then (select subject from outgoing_documents where id = e.item_id)
                                     when 'file' then (select name from personal_files where id = e.item_id and deleted_at is null)
                                     else (select title from tasks where id = e.item_id) end, '(đã xóa)'),
                e.added_at
            from dossier_entries e where e.dossier_id = \(dossier) order by e.added_at, e.id limit 1000
            """, logger: logger
        ).decode((UUID, String, UUID, String, Date).self) { found.append(Entry(id: id, kind: kind, itemId: item, title: title, addedAt: at)) }
        return found
    }
}
