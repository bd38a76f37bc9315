import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// Thông báo: the caller's in-app inbox over HTTP, and its live event stream (Server-Sent Events).
struct InboxRoutes {
    let client: PostgresClient
    let events: InboxEvents
    let logger: Logger

    struct Message: ResponseCodable {
        var id: UUID
        var title: String
        var body: String
        var link: String?
        var createdAt: Date
        var read: Bool
    }

    struct Inbox: ResponseCodable {
        var items: [Message]
        var total: Int
        var unread: Int
    }

    struct Unread: ResponseCodable { var unread: Int }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("messages") { request, context -> Inbox in
            let caller = try context.requireCaller()
            let unreadOnly = request.uri.queryParameters.get("unread") == "true"
            let paging = try Paging(request)
            return try await client.withConnection { connection in
                var items: [Message] = []
                let rows = try await connection.query(
                    """
                    select id, title, body, link, created_at, read_at is not null from messages
                    where user_id = \(caller.id) and (not \(unreadOnly) or read_at is null)
                    order by created_at desc, id limit \(paging.perPage) offset \(paging.offset)
                    """, logger: logger)
                for try await (id, title, body, link, at, read) in rows.decode((UUID, String, String, String?, Date, Bool).self) {
                    items.append(Message(id: id, title: title, body: body, link: link, createdAt: at, read: read))
                }
                let total = try await count(
                    "select count(*)::int from messages where user_id = \(caller.id) and (not \(unreadOnly) or read_at is null)", connection)
                return Inbox(items: items, total: total, unread: try await unread(caller.id, connection))
            }
        }
        api.get("messages/unread") { _, context -> Unread in
            let caller = try context.requireCaller()
            return Unread(unread: try await client.withConnection { try await unread(caller.id, $0) })
        }
        api.post("messages/read-all") { _, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            try await client.query("update messages set read_at = now() where user_id = \(caller.id) and read_at is null", logger: logger)
            logger.info("inbox all read", metadata: ["user": "\(caller.username)"])
            return .noContent
        }
        api.post("messages/:id/read") { _, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            let id = try Self.id(context)
            return try await change("update messages set read_at = coalesce(read_at, now()) where id = \(id) and user_id = \(caller.id) returning id")
        }
        api.delete("messages/:id") { _, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            let id = try Self.id(context)
            return try await change("delete from messages where id = \(id) and user_id = \(caller.id) returning id")
        }
        api.get("messages/stream") { _, context -> Response in
            let caller = try context.requireCaller()
            guard let updates = await events.subscribe(caller.id) else {
                var problem = ProblemDetails(
                    type: "https://ioffice.example/problems/too-many-streams", title: "Quá nhiều trang đang mở", status: .tooManyRequests,
                    detail: "Bạn đang mở quá nhiều trang theo dõi thông báo cùng lúc. Hãy đóng bớt các trang cũ.")
                problem.retryAfter = 30
                throw problem
            }
            let client = self.client
            let logger = self.logger
            // The stream ends when the token does: a logged-out or demoted user stops hearing, and the
            // browser reconnects with a fresh token.
            let lifetime = max(0, caller.expiresAt.timeIntervalSinceNow)
            // `unread` first, then again whenever a message arrives, `chat` when a conversation has a new
            // message; a comment every 25 s keeps proxies from closing it.
            let body = ResponseBody { writer in
                // One writer: the unread count and the keep-alives are queued to it from two tasks.
                let (events, queue) = AsyncStream<String>.makeStream()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let count = { try await client.withConnection { try await InboxRoutes.unreadCount(caller.id, $0, logger) } }
                        let unread = { "event: unread\ndata: {\"unread\":\(try await count())}\n\n" }
                        queue.yield(try await unread())
                        for await update in updates {
                            switch update {
                            case .inbox: queue.yield(try await unread())
                            case .chat(let conversation):
                                queue.yield("event: chat\ndata: {\"conversationId\":\"\(conversation.uuidString.lowercased())\"}\n\n")
                            case .urgent: queue.yield("event: urgent\ndata: {}\n\n")
                            }
                        }
                        queue.finish()
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try await Task.sleep(for: .seconds(25))
                            queue.yield(": keep-alive\n\n")
                        }
                    }
                    group.addTask {
                        try await Task.sleep(for: .seconds(lifetime))
                        queue.finish()
                    }
                    for await text in events { try await writer.write(ByteBuffer(string: text)) }
                    group.cancelAll()
                }
                try await writer.finish(nil)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
        }
    }

    private func change(_ query: PostgresQuery) async throws -> HTTPResponse.Status {
        for try await id in try await client.query(query, logger: logger).decode(UUID.self) {
            logger.info("inbox message changed", metadata: ["message": "\(id)"])
            return .noContent
        }
        throw ProblemDetails.notFound("Không tìm thấy thông báo.")
    }

    private func unread(_ user: UUID, _ connection: PostgresConnection) async throws -> Int {
        try await Self.unreadCount(user, connection, logger)
    }

    static func unreadCount(_ user: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws -> Int {
        for try await value in try await connection.query(
            "select count(*)::int from messages where user_id = \(user) and read_at is null", logger: logger
        ).decode(Int.self) { return value }
        return 0
    }

    private func count(_ query: PostgresQuery, _ connection: PostgresConnection) async throws -> Int {
        for try await value in try await connection.query(query, logger: logger).decode(Int.self) { return value }
        return 0
    }

    static func id(_ context: ServiceRequestContext) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw ProblemDetails.notFound("Không tìm thấy thông báo.")
        }
        return id
    }
}
