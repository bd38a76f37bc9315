import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Tin nội bộ (seed §6.6): posts the whole agency reads; anyone posts, and edits or deletes their own
/// posts; editing or deleting someone else's needs `news.publish`. Every edit keeps the earlier text.
struct NewsRoutes {
    let client: PostgresClient
    let logger: Logger

    struct Post: ResponseCodable {
        var id: UUID
        var title: String
        var body: String
        var authorName: String
        var createdAt: Date
        var updatedAt: Date
        var edits: Int
    }

    struct Version: Codable, Sendable { var title: String; var body: String; var editedBy: String; var editedAt: Date }
    struct History: ResponseCodable { var versions: [Version] }
    struct Input: Decodable { var title: String; var body: String }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("news") { request, context -> Page<Post> in
            _ = try context.requireCaller()
            let paging = try Paging(request)
            return try await client.withConnection { connection in
                var items: [Post] = []
                for try await (id, title, body, author, created, updated, edits) in try await connection.query(
                    """
                    select n.id, n.title, n.body, n.author_name, n.created_at, n.updated_at,
                        (select count(*)::int from news_versions v where v.news_id = n.id) - 1
                    from news n where n.deleted_at is null order by n.created_at desc limit \(paging.perPage) offset \(paging.offset)
                    """, logger: logger
                ).decode((UUID, String, String, String, Date, Date, Int).self) {
                    items.append(Post(id: id, title: title, body: body, authorName: author, createdAt: created, updatedAt: updated, edits: edits))
                }
                var total = 0
                for try await value in try await connection.query("select count(*)::int from news where deleted_at is null", logger: logger)
                    .decode(Int.self) { total = value }
                return Page(items: items, total: total)
            }
        }
        api.post("news") { request, context -> EditedResponse<Post> in
            let caller = try context.requireCaller()
            let input = try Self.valid(try await request.json(Input.self, context: context, limit: 4 << 20))
            let id = UUID()
            return EditedResponse(
                status: .created,
                response: try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                    try await connection.query(
                        "insert into news (id, author_id, author_name, title, body) values (\(id), \(caller.id), \(caller.fullName), \(input.title), \(input.body))",
                        logger: logger)
                    try await version(id, input, caller, connection)
                    logger.info("news published", metadata: ["news": "\(id)", "by": "\(caller.username)"])
                    return try await post(id, connection)
                })
        }
        api.put("news/:id") { request, context -> Post in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            let input = try Self.valid(try await request.json(Input.self, context: context, limit: 4 << 20))
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await mayChange(id, caller, connection)
                var found = false
                for try await _ in try await connection.query(
                    "update news set title = \(input.title), body = \(input.body), updated_at = now() where id = \(id) and deleted_at is null returning id",
                    logger: logger) { found = true }
                guard found else { throw ProblemDetails.notFound("Không tìm thấy tin.") }
                try await version(id, input, caller, connection)
                logger.info("news edited", metadata: ["news": "\(id)", "by": "\(caller.username)"])
                return try await post(id, connection)
            }
        }
        api.delete("news/:id") { _, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await mayChange(id, caller, connection)
                var found = false
                for try await _ in try await connection.query(
                    "update news set deleted_at = now() where id = \(id) and deleted_at is null returning id", logger: logger) { found = true }
                guard found else { throw ProblemDetails.notFound("Không tìm thấy tin.") }
            }
            logger.info("news deleted", metadata: ["news": "\(id)", "by": "\(caller.username)"])
            return .noContent
        }
        api.get("news/:id/history") { _, context -> History in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            // A deleted item is gone for readers, its old versions too; those who publish news keep the record.
            let editor = caller.has(.newsPublish)
            var versions: [Version] = []
            for try await (title, body, by, at) in try await client.query(
                """
                select v.title, v.body, v.edited_by_name, v.edited_at from news_versions v join news n on n.id = v.news_id
                where v.news_id = \(id) and (n.deleted_at is null or \(editor)) order by v.id
                """, logger: logger
            ).decode((String, String, String, Date).self) { versions.append(Version(title: title, body: body, editedBy: by, editedAt: at)) }
            guard !versions.isEmpty else { throw ProblemDetails.notFound("Không tìm thấy tin.") }
            return History(versions: versions)
        }
    }

    /// The author changes their own post; anyone else needs `news.publish` (404 for a post not there).
    private func mayChange(_ id: UUID, _ caller: Caller, _ connection: PostgresConnection) async throws {
        var author: UUID?
        for try await value in try await connection.query(
            "select author_id from news where id = \(id) and deleted_at is null for update", logger: logger
        ).decode(UUID.self) { author = value }
        guard let author else { throw ProblemDetails.notFound("Không tìm thấy tin.") }
        guard author == caller.id || caller.has(.newsPublish) else {
            throw ProblemDetails.forbidden("Chỉ người đăng tin, hoặc người có quyền đăng tin, mới sửa hay xóa tin này.")
        }
    }

    static func valid(_ input: Input) throws -> Input {
        let cleaned = Input(title: VietnameseText.clean(input.title), body: VietnameseText.nfc(input.body).trimmingCharacters(in: .whitespacesAndNewlines))
        var problems: [ProblemDetails.FieldError] = []
        if cleaned.title.isEmpty { problems.append(.init(field: "title", message: "Thiếu tiêu đề tin.")) }
        if cleaned.body.isEmpty { problems.append(.init(field: "body", message: "Thiếu nội dung tin.")) }
        guard problems.isEmpty else { throw ProblemDetails.invalid(problems) }
        return cleaned
    }

    private func version(_ id: UUID, _ input: Input, _ caller: Caller, _ connection: PostgresConnection) async throws {
        try await connection.query(
            """
            insert into news_versions (news_id, title, body, edited_by, edited_by_name)
            values (\(id), \(input.title), \(input.body), \(caller.id), \(caller.fullName))
            """, logger: logger)
    }

    private func post(_ id: UUID, _ connection: PostgresConnection) async throws -> Post {
        for try await (title, body, author, created, updated, edits) in try await connection.query(
            """
            select title, body, author_name, created_at, updated_at, (select count(*)::int from news_versions v where v.news_id = news.id) - 1
            from news where id = \(id)
            """, logger: logger
        ).decode((String, String, String, Date, Date, Int).self) {
            return Post(id: id, title: title, body: body, authorName: author, createdAt: created, updatedAt: updated, edits: edits)
        }
        throw ProblemDetails.notFound("Không tìm thấy tin.")
    }
}
