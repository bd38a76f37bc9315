import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Tasks (giao việc) and their progress reports. A task made from an incoming document keeps it.
enum TaskStore {
    static let migration = Migration(
        version: 12, name: "tasks with progress and reminders",
        statements: [
            "alter table tasks add column percent int not null default 0 check (percent between 0 and 100)",
            "alter table tasks add column updated_at timestamptz not null default now()",
            "create index tasks_assignee on tasks (assignee, done, deadline)",
            "create index tasks_creator on tasks (created_by, done, deadline)",
            """
            create table task_progress (
                id uuid primary key,
                task_id uuid not null references tasks (id) on delete cascade,
                percent int not null check (percent between 0 and 100),
                comment text not null,
                actor_id uuid not null references users (id),
                at timestamptz not null default now())
            """,
            "create index task_progress_task on task_progress (task_id, at)",
            """
            create table task_reminders (
                task_id uuid primary key references tasks (id) on delete cascade,
                sent_at timestamptz not null default now())
            """,
        ])

    struct View: Codable, Sendable, Equatable {
        var id: UUID
        var title: String
        var assigneeId: UUID
        var assigneeName: String
        var creatorId: UUID
        var creatorName: String
        var deadline: Date?
        var incomingId: UUID?
        var percent: Int
        var done: Bool
        var overdue: Bool
        var createdAt: Date
        var updatedAt: Date
        /// Progress reports, oldest first (in a single task's view only).
        var progress: [Progress]?
    }

    struct Progress: Codable, Sendable, Equatable {
        var percent: Int
        var comment: String
        var by: String
        var at: Date
    }

    static func insert(
        id: UUID, title: String, assignee: UUID, deadline: Date?, incoming: UUID?, by creator: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            insert into tasks (id, document_id, title, assignee, deadline, created_by)
            values (\(id), \(incoming), \(title), \(assignee), \(deadline), \(creator))
            """, logger: logger)
    }

    static let columns = """
        t.id, t.title, t.assignee, a.full_name, t.created_by, c.full_name, t.deadline, t.document_id, t.percent, t.done,
        t.created_at, t.updated_at
        """
    static let from = "tasks t join users a on a.id = t.assignee join users c on c.id = t.created_by"

    static func view(row: (UUID, String, UUID, String, UUID, String, Date?, UUID?, Int, Bool, Date, Date), now: Date) -> View {
        let (id, title, assignee, assigneeName, creator, creatorName, deadline, incoming, percent, done, created, updated) = row
        return View(
            id: id, title: title, assigneeId: assignee, assigneeName: assigneeName, creatorId: creator, creatorName: creatorName,
            deadline: deadline, incomingId: incoming, percent: percent, done: done, overdue: !done && deadline.map { $0 < now } == true,
            createdAt: created, updatedAt: updated, progress: nil)
    }

    /// The caller's tasks: `mine` (given to them) or `assigned` (given by them); open ones first, by deadline.
    static func list(
        mine: Bool, of user: UUID, limit: Int, offset: Int, now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws -> (items: [View], total: Int) {
        let condition = mine ? "t.assignee = $1" : "t.created_by = $1"
        var binds = PostgresBindings()
        try binds.encode(user)
        var total = 0
        for try await count in try await connection.query(
            PostgresQuery(unsafeSQL: "select count(*)::int from tasks t where \(condition)", binds: binds), logger: logger
        ).decode(Int.self) { total = count }
        try binds.encode(limit)
        try binds.encode(offset)
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: """
                    select \(columns) from \(from) where \(condition)
                    order by t.done, t.deadline nulls last, t.created_at desc, t.id limit $2 offset $3
                    """, binds: binds), logger: logger)
        var items: [View] = []
        for try await row in rows.decode((UUID, String, UUID, String, UUID, String, Date?, UUID?, Int, Bool, Date, Date).self) {
            items.append(view(row: row, now: now))
        }
        return (items, total)
    }

    static func find(_ id: UUID, now: Date, on connection: PostgresConnection, logger: Logger) async throws -> View? {
        let rows = try await connection.query(
            "select \(unescaped: columns) from \(unescaped: from) where t.id = \(id)", logger: logger)
        var found: View?
        for try await row in rows.decode((UUID, String, UUID, String, UUID, String, Date?, UUID?, Int, Bool, Date, Date).self) {
            found = view(row: row, now: now)
        }
        guard var task = found else { return nil }
        var progress: [Progress] = []
        for try await (percent, comment, by, at) in try await connection.query(
            """
            select p.percent, p.comment, u.full_name, p.at from task_progress p join users u on u.id = p.actor_id
            where p.task_id = \(id) order by p.at, p.id
            """, logger: logger
        ).decode((Int, String, String, Date).self) { progress.append(Progress(percent: percent, comment: comment, by: by, at: at)) }
        task.progress = progress
        return task
    }

    /// The task's creator and assignee, its row locked until commit.
    static func lock(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (creator: UUID, assignee: UUID, done: Bool)? {
        for try await row in try await connection.query(
            "select created_by, assignee, done from tasks where id = \(id) for update", logger: logger
        ).decode((UUID, UUID, Bool).self) { return row }
        return nil
    }

    static func report(
        _ id: UUID, percent: Int, comment: String, by actor: UUID, at now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            "insert into task_progress (id, task_id, percent, comment, actor_id, at) values (\(UUID()), \(id), \(percent), \(comment), \(actor), \(now))",
            logger: logger)
        try await connection.query(
            "update tasks set percent = \(percent), done = \(percent == 100), updated_at = \(now) where id = \(id)", logger: logger)
    }
}
