import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Opinion requests (lấy ý kiến), who was asked, and their answers.
enum OpinionStore {
    static let migration = Migration(
        version: 16, name: "opinion requests",
        statements: [
            """
            create table opinions (
                id uuid primary key,
                asker_id uuid not null references users (id),
                subject text not null,
                question text not null,
                incoming_id uuid references incoming_documents (id) on delete set null,
                outgoing_id uuid references outgoing_documents (id) on delete set null,
                deadline timestamptz not null,
                created_at timestamptz not null default now())
            """,
            "create index opinions_asker on opinions (asker_id, created_at desc)",
            """
            create table opinion_asked (
                opinion_id uuid not null references opinions (id) on delete cascade,
                user_id uuid not null references users (id),
                answer text,
                answered_at timestamptz,
                primary key (opinion_id, user_id))
            """,
            "create index opinion_asked_user on opinion_asked (user_id)",
        ])

    struct Answer: Codable, Sendable, Equatable {
        var userId: UUID
        var name: String
        var text: String?
        var answeredAt: Date?
        var late: Bool
    }

    struct View: Codable, Sendable, Equatable {
        var id: UUID
        var subject: String
        var question: String
        var askerName: String
        var incomingId: UUID?
        var outgoingId: UUID?
        var deadline: Date
        var createdAt: Date
        var asked: Int
        var answered: Int
        /// For the asker: everyone asked, with their answer; for an asked person: their own.
        var answers: [Answer]?
    }

    static let columns = """
        o.id, o.subject, o.question, u.full_name, o.incoming_id, o.outgoing_id, o.deadline, o.created_at,
        (select count(*)::int from opinion_asked a where a.opinion_id = o.id),
        (select count(*)::int from opinion_asked a where a.opinion_id = o.id and a.answer is not null)
        """

    static func views(where condition: String, _ binds: PostgresBindings, on connection: PostgresConnection, logger: Logger) async throws -> [View] {
        var found: [View] = []
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "select \(columns) from opinions o join users u on u.id = o.asker_id where \(condition) order by o.created_at desc, o.id limit 200",
                binds: binds), logger: logger)
        for try await (id, subject, question, asker, incoming, outgoing, deadline, created, asked, answered) in rows.decode(
            (UUID, String, String, String, UUID?, UUID?, Date, Date, Int, Int).self)
        {
            found.append(
                View(
                    id: id, subject: subject, question: question, askerName: asker, incomingId: incoming, outgoingId: outgoing, deadline: deadline,
                    createdAt: created, asked: asked, answered: answered, answers: nil))
        }
        return found
    }

    /// The answers of one request; `only` limits them to one person's.
    static func answers(_ id: UUID, only: UUID?, on connection: PostgresConnection, logger: Logger) async throws -> [Answer] {
        var found: [Answer] = []
        for try await (user, name, text, at, deadline) in try await connection.query(
            """
            select a.user_id, u.full_name, a.answer, a.answered_at, o.deadline from opinion_asked a
            join users u on u.id = a.user_id join opinions o on o.id = a.opinion_id
            where a.opinion_id = \(id) and (\(only)::uuid is null or a.user_id = \(only)) order by u.full_name, a.user_id
            """, logger: logger
        ).decode((UUID, String, String?, Date?, Date).self) {
            found.append(Answer(userId: user, name: name, text: text, answeredAt: at, late: at.map { $0 > deadline } ?? false))
        }
        return found
    }
}
