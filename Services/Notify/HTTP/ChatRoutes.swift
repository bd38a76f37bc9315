import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Trao đổi trực tuyến: one-to-one and group conversations with text and files, delivered live on the
/// caller's event stream, with unread counts and history by pages.
struct ChatRoutes {
    let client: PostgresClient
    let logger: Logger

    struct NewConversation: Decodable {
        var members: [UUID]
        var title: String?
    }

    struct Conversation: ResponseCodable {
        var id: UUID
        var title: String?
        var isGroup: Bool
        var members: [Member]
        var unread: Int
        var lastMessageAt: Date?
        struct Member: Codable, Sendable { var userId: UUID; var name: String }
    }

    struct Message: ResponseCodable {
        var id: UUID
        var senderId: UUID
        var senderName: String
        var text: String
        var file: String?
        var createdAt: Date
    }

    struct NewMessage: Decodable {
        var text: String?
        var file: UploadedFile?
    }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("conversations") { request, context -> EditedResponse<Conversation> in
            let caller = try context.requireCaller()
            let body = try await request.json(NewConversation.self, context: context)
            let others = Set(body.members).subtracting([caller.id])
            guard !others.isEmpty else { throw ProblemDetails.invalid([.init(field: "members", message: "Chọn người để trao đổi.")]) }
            let title = body.title.map(VietnameseText.clean).flatMap { $0.isEmpty ? nil : $0 }
            let isGroup = others.count > 1 || title != nil
            // Two people have one conversation: asking again opens it.
            let pair = isGroup ? nil : [caller.id, others.first!].map { $0.uuidString.lowercased() }.sorted().joined(separator: "+")
            let (created, conversation) = try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                let known = try await NotifyStore.people(Array(others), on: connection, logger: logger)
                guard known.count == others.count else {
                    throw ProblemDetails.invalid([.init(field: "members", message: "Có người không thuộc danh bạ của cơ quan.")])
                }
                let id = UUID()
                var existing: UUID?
                for try await found in try await connection.query(
                    """
                    insert into conversations (id, title, is_group, pair_key, created_by) values (\(id), \(title), \(isGroup), \(pair), \(caller.id))
                    on conflict (pair_key) do update set pair_key = excluded.pair_key returning id
                    """, logger: logger
                ).decode(UUID.self) { existing = found }
                let conversation = existing ?? id
                for member in others.union([caller.id]) {
                    try await connection.query(
                        "insert into conversation_members (conversation_id, user_id) values (\(conversation), \(member)) on conflict do nothing",
                        logger: logger)
                }
                return (conversation == id, try await summary(conversation, caller.id, connection))
            }
            return EditedResponse(status: created ? .created : .ok, response: conversation)
        }
        api.get("conversations") { _, context -> Page<Conversation> in
            let caller = try context.requireCaller()
            return try await client.withConnection { connection in
                var ids: [UUID] = []
                for try await id in try await connection.query(
                    """
                    select c.id from conversations c join conversation_members m on m.conversation_id = c.id and m.user_id = \(caller.id)
                    order by coalesce((select max(created_at) from chat_messages x where x.conversation_id = c.id), c.created_at) desc
                    """, logger: logger
                ).decode(UUID.self) { ids.append(id) }
                var items: [Conversation] = []
                for id in ids { items.append(try await summary(id, caller.id, connection)) }
                return Page(items: items, total: items.count)
            }
        }
        api.get("conversations/:id/messages") { request, context -> Page<Message> in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            // Older pages: `before` is the id of the oldest message the client has.
            let before = request.uri.queryParameters.get("before").flatMap(UUID.init(uuidString:))
            let limit = min(200, max(1, request.uri.queryParameters.get("limit", as: Int.self) ?? 50))
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await member(id, caller.id, connection)
                var items: [Message] = []
                for try await (mid, sender, name, body, file, at) in try await connection.query(
                    """
                    select id, sender_id, sender_name, body, file_name, created_at from chat_messages
                    where conversation_id = \(id)
                        and (\(before)::uuid is null or created_at < (select created_at from chat_messages where id = \(before)))
                    order by created_at desc limit \(limit)
                    """, logger: logger
                ).decode((UUID, UUID, String, String, String?, Date).self) {
                    items.append(Message(id: mid, senderId: sender, senderName: name, text: body, file: file, createdAt: at))
                }
                var total = 0
                for try await value in try await connection.query(
                    "select count(*)::int from chat_messages where conversation_id = \(id)", logger: logger).decode(Int.self) { total = value }
                // Reading the newest page is reading the conversation.
                if before == nil {
                    try await connection.query(
                        "update conversation_members set last_read_at = now() where conversation_id = \(id) and user_id = \(caller.id)", logger: logger)
                }
                return Page(items: items, total: total)
            }
        }
        api.post("conversations/:id/messages") { request, context -> EditedResponse<Message> in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            let body = try await request.json(NewMessage.self, context: context, limit: 32 << 20)
            let text = VietnameseText.nfc(body.text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let bytes = try body.file.map { try $0.bytes(field: "file") }
            guard !text.isEmpty || bytes != nil else { throw ProblemDetails.invalid([.init(field: "text", message: "Nhập nội dung hoặc đính kèm tệp.")]) }
            let sent = try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                let members = try await member(id, caller.id, connection)
                let message = Message(id: UUID(), senderId: caller.id, senderName: caller.fullName, text: text, file: body.file?.cleanName, createdAt: Date())
                try await connection.query(
                    """
                    insert into chat_messages (id, conversation_id, sender_id, sender_name, body, file_name, file_type, file_data, created_at)
                    values (\(message.id), \(id), \(caller.id), \(caller.fullName), \(text), \(body.file?.cleanName), \(body.file?.contentType),
                            \(bytes.map { ByteBuffer(bytes: $0) }), \(message.createdAt))
                    """, logger: logger)
                try await connection.query(
                    "update conversation_members set last_read_at = \(message.createdAt) where conversation_id = \(id) and user_id = \(caller.id)",
                    logger: logger)
                for person in members where person != caller.id {
                    try await InboxEvents.announce(person, .chat(id), on: connection, logger: logger)
                }
                return message
            }
            return EditedResponse(status: .created, response: sent)
        }
        api.get("conversations/:id/messages/:message/file") { _, context -> Response in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            guard let message = context.parameters.get("message").flatMap(UUID.init(uuidString:)) else { throw ProblemDetails.notFound("Không tìm thấy tệp.") }
            return try await client.withConnection { connection in
                try await member(id, caller.id, connection)
                for try await (name, type, data) in try await connection.query(
                    "select file_name, file_type, file_data from chat_messages where id = \(message) and conversation_id = \(id) and file_data is not null",
                    logger: logger
                ).decode((String, String, ByteBuffer).self) {
                    return Response.file(named: name, type: type, data: data, inline: false)
                }
                throw ProblemDetails.notFound("Không tìm thấy tệp.")
            }
        }
    }

    /// The conversation's members, when `user` is one of them; 404 otherwise.
    @discardableResult
    private func member(_ conversation: UUID, _ user: UUID, _ connection: PostgresConnection) async throws -> [UUID] {
        var members: [UUID] = []
        for try await id in try await connection.query(
            "select user_id from conversation_members where conversation_id = \(conversation)", logger: logger).decode(UUID.self) { members.append(id) }
        guard members.contains(user) else { throw ProblemDetails.notFound("Không tìm thấy cuộc trao đổi.") }
        return members
    }

    private func summary(_ id: UUID, _ user: UUID, _ connection: PostgresConnection) async throws -> Conversation {
        var conversation: Conversation?
        for try await (title, group, unread, last) in try await connection.query(
            """
            select c.title, c.is_group,
                (select count(*)::int from chat_messages x where x.conversation_id = c.id and x.sender_id <> \(user) and x.created_at > m.last_read_at),
                (select max(created_at) from chat_messages x where x.conversation_id = c.id)
            from conversations c join conversation_members m on m.conversation_id = c.id and m.user_id = \(user) where c.id = \(id)
            """, logger: logger
        ).decode((String?, Bool, Int, Date?).self) {
            conversation = Conversation(id: id, title: title, isGroup: group, members: [], unread: unread, lastMessageAt: last)
        }
        guard var found = conversation else { throw ProblemDetails.notFound("Không tìm thấy cuộc trao đổi.") }
        for try await (member, name) in try await connection.query(
            """
            select m.user_id, coalesce(p.full_name, '') from conversation_members m left join people p on p.user_id = m.user_id
            where m.conversation_id = \(id) order by 2
            """, logger: logger
        ).decode((UUID, String).self) { found.members.append(.init(userId: member, name: name)) }
        return found
    }
}
