import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Thông tin điều hành: a leader (or someone they delegate) sends a short directive or notice with
/// files to people or units; recipients read and reply; the sender sees who has read it.
struct NoticeRoutes {
    let client: PostgresClient
    let logger: Logger

    struct NewNotice: Decodable {
        var title: String
        var body: String
        var recipients: [Target]
        var files: [UploadedFile]?
        /// Sending for this leader, who delegated it.
        var onBehalfOf: UUID?
        struct Target: Decodable { var userId: UUID?; var unitId: UUID? }
    }

    struct Summary: Codable, Sendable {
        var id: UUID
        var title: String
        var senderName: String
        var createdAt: Date
        var read: Bool?
        var readCount: Int?
        var recipientCount: Int?
    }

    struct Detail: ResponseCodable {
        var id: UUID
        var title: String
        var body: String
        var senderId: UUID
        var senderName: String
        var createdAt: Date
        var files: [File]
        var replies: [Reply]
        /// Only for the sender: each recipient and when they read it.
        var recipients: [Recipient]?
        struct File: Codable, Sendable { var id: UUID; var name: String; var contentType: String; var size: Int }
        struct Reply: Codable, Sendable { var userName: String; var body: String; var createdAt: Date }
        struct Recipient: Codable, Sendable { var userId: UUID; var name: String; var readAt: Date? }
    }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("notices") { request, context -> EditedResponse<Detail> in
            let caller = try context.requireCaller()
            let body = try await request.json(NewNotice.self, context: context, limit: 64 << 20)
            let id = try await send(body, by: caller)
            return EditedResponse(status: .created, response: try await client.withConnection { try await detail(id, for: caller.id, $0) })
        }
        api.get("notices") { request, context -> Page<Summary> in
            let caller = try context.requireCaller()
            let sent = request.uri.queryParameters.get("box") == "sent"
            return try await client.withConnection { connection in
                var items: [Summary] = []
                let rows: PostgresRowSequence
                if sent {
                    rows = try await connection.query(
                        """
                        select n.id, n.title, n.sender_name, n.created_at, null::bool,
                            (select count(*)::int from notice_recipients r where r.notice_id = n.id and r.read_at is not null),
                            (select count(*)::int from notice_recipients r where r.notice_id = n.id)
                        from notices n where n.sender_id = \(caller.id) or n.on_behalf_of = \(caller.id) order by n.created_at desc limit 200
                        """, logger: logger)
                } else {
                    rows = try await connection.query(
                        """
                        select n.id, n.title, n.sender_name, n.created_at, r.read_at is not null, null::int, null::int
                        from notices n join notice_recipients r on r.notice_id = n.id and r.user_id = \(caller.id)
                        order by n.created_at desc limit 200
                        """, logger: logger)
                }
                for try await (id, title, sender, at, read, readCount, total) in rows.decode((UUID, String, String, Date, Bool?, Int?, Int?).self) {
                    items.append(Summary(id: id, title: title, senderName: sender, createdAt: at, read: read, readCount: readCount, recipientCount: total))
                }
                return Page(items: items, total: items.count)
            }
        }
        api.get("notices/:id") { _, context -> Detail in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                // Opening it is reading it.
                try await connection.query(
                    "update notice_recipients set read_at = coalesce(read_at, now()) where notice_id = \(id) and user_id = \(caller.id)",
                    logger: logger)
                return try await detail(id, for: caller.id, connection)
            }
        }
        api.post("notices/:id/replies") { request, context -> Detail in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            struct NewReply: Decodable { var body: String }
            let reply = VietnameseText.nfc(try await request.json(NewReply.self, context: context).body).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !reply.isEmpty else { throw ProblemDetails.invalid([.init(field: "body", message: "Nhập nội dung trả lời.")]) }
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                let notice = try await detail(id, for: caller.id, connection)
                try await connection.query(
                    "insert into notice_replies (id, notice_id, user_id, user_name, body) values (\(UUID()), \(id), \(caller.id), \(caller.fullName), \(reply))",
                    logger: logger)
                if notice.senderId != caller.id {
                    _ = try await NotifyStore.addMessage(
                        to: notice.senderId, request: nil, title: "Trả lời thông tin điều hành", body: "\(caller.fullName): \(notice.title)",
                        link: "/thong-tin-dieu-hanh/\(id.uuidString.lowercased())", on: connection, logger: logger)
                    try await InboxEvents.announce(notice.senderId, on: connection, logger: logger)
                }
                logger.info("notice reply", metadata: ["notice": "\(id)", "user": "\(caller.username)"])
                return try await detail(id, for: caller.id, connection)
            }
        }
        api.get("notices/:id/files/:file") { _, context -> Response in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            guard let file = context.parameters.get("file").flatMap(UUID.init(uuidString:)) else { throw ProblemDetails.notFound("Không tìm thấy tệp.") }
            return try await client.withConnection { connection in
                _ = try await detail(id, for: caller.id, connection)
                for try await (name, type, data) in try await connection.query(
                    "select name, content_type, data from notice_files where id = \(file) and notice_id = \(id)", logger: logger
                ).decode((String, String, ByteBuffer).self) {
                    return Response.file(named: name, type: type, data: data)
                }
                throw ProblemDetails.notFound("Không tìm thấy tệp.")
            }
        }
        api.put("notices/delegates/:user") { _, context -> HTTPResponse.Status in
            let caller = try Self.leader(context)
            guard let user = context.parameters.get("user").flatMap(UUID.init(uuidString:)) else { throw ProblemDetails.notFound("Không tìm thấy người dùng.") }
            try await client.query(
                "insert into notice_delegates (leader_id, delegate_id) values (\(caller.id), \(user)) on conflict do nothing", logger: logger)
            logger.info("notice delegate added", metadata: ["leader": "\(caller.username)", "delegate": "\(user)"])
            return .noContent
        }
        api.delete("notices/delegates/:user") { _, context -> HTTPResponse.Status in
            let caller = try Self.leader(context)
            guard let user = context.parameters.get("user").flatMap(UUID.init(uuidString:)) else { throw ProblemDetails.notFound("Không tìm thấy người dùng.") }
            try await client.query("delete from notice_delegates where leader_id = \(caller.id) and delegate_id = \(user)", logger: logger)
            return .noContent
        }
    }

    static func leader(_ context: ServiceRequestContext) throws -> Caller {
        let caller = try context.requireCaller()
        guard caller.has(.unitLeader) || caller.has(.head) else { throw AccessDenied.missing(.unitLeader) }
        return caller
    }

    func send(_ body: NewNotice, by caller: Caller) async throws -> UUID {
        let title = VietnameseText.clean(body.title)
        let text = VietnameseText.nfc(body.body).trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [ProblemDetails.FieldError] = []
        if title.isEmpty { problems.append(.init(field: "title", message: "Thiếu tiêu đề.")) }
        if text.isEmpty { problems.append(.init(field: "body", message: "Thiếu nội dung.")) }
        if body.recipients.isEmpty { problems.append(.init(field: "recipients", message: "Chọn người hoặc đơn vị nhận.")) }
        let files = try (body.files ?? []).enumerated().map { ($1, try $1.bytes(field: "files[\($0)]")) }
        guard problems.isEmpty else { throw ProblemDetails.invalid(problems) }
        let id = UUID()
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            var senderName = caller.fullName
            if let leader = body.onBehalfOf {
                var allowed = false
                for try await _ in try await connection.query(
                    "select 1 from notice_delegates where leader_id = \(leader) and delegate_id = \(caller.id)", logger: logger) { allowed = true }
                guard allowed else { throw ProblemDetails.forbidden("Bạn không được lãnh đạo này ủy quyền gửi thông tin điều hành.") }
                let names = try await NotifyStore.people([leader], on: connection, logger: logger)
                senderName = "\(caller.fullName) (thừa lệnh \(names[leader]?.name ?? "lãnh đạo"))"
            } else if !(caller.has(.unitLeader) || caller.has(.head)) {
                throw ProblemDetails.forbidden("Chỉ lãnh đạo hoặc người được lãnh đạo ủy quyền gửi thông tin điều hành.")
            }
            // Units reach everyone in them, as the directory says.
            var people = Set(body.recipients.compactMap(\.userId))
            let units = body.recipients.compactMap(\.unitId)
            if !units.isEmpty {
                for try await user in try await connection.query(
                    "select user_id from people where unit_id = any(\(units)) and active", logger: logger
                ).decode(UUID.self) { people.insert(user) }
            }
            people.remove(caller.id)
            guard !people.isEmpty else { throw ProblemDetails.invalid([.init(field: "recipients", message: "Không có người nhận nào.")]) }
            try await connection.query(
                """
                insert into notices (id, sender_id, sender_name, on_behalf_of, title, body)
                values (\(id), \(caller.id), \(senderName), \(body.onBehalfOf), \(title), \(text))
                """, logger: logger)
            for (file, bytes) in files {
                try await connection.query(
                    """
                    insert into notice_files (id, notice_id, name, content_type, size, data)
                    values (\(UUID()), \(id), \(file.cleanName), \(file.contentType), \(bytes.count), \(ByteBuffer(bytes: bytes)))
                    """, logger: logger)
            }
            for person in people {
                try await connection.query("insert into notice_recipients (notice_id, user_id) values (\(id), \(person))", logger: logger)
                _ = try await NotifyStore.addMessage(
                    to: person, request: nil, title: "Thông tin điều hành: \(title)", body: "Từ \(senderName)",
                    link: "/thong-tin-dieu-hanh/\(id.uuidString.lowercased())", on: connection, logger: logger)
                try await InboxEvents.announce(person, on: connection, logger: logger)
            }
            logger.info("notice sent", metadata: ["notice": "\(id)", "sender": "\(caller.username)", "recipients": "\(people.count)"])
        }
        return id
    }

    /// The notice as `user` may see it (sender, the leader it was sent for, or a recipient); 404 otherwise.
    func detail(_ id: UUID, for user: UUID, _ connection: PostgresConnection) async throws -> Detail {
        var found: Detail?
        var isSender = false
        for try await (nid, title, body, sender, senderName, at, behalf, recipient) in try await connection.query(
            """
            select n.id, n.title, n.body, n.sender_id, n.sender_name, n.created_at, n.on_behalf_of,
                exists (select 1 from notice_recipients r where r.notice_id = n.id and r.user_id = \(user))
            from notices n where n.id = \(id)
            """, logger: logger
        ).decode((UUID, String, String, UUID, String, Date, UUID?, Bool).self) {
            isSender = sender == user || behalf == user
            guard isSender || recipient else { break }
            found = Detail(id: nid, title: title, body: body, senderId: sender, senderName: senderName, createdAt: at, files: [], replies: [])
        }
        guard var detail = found else { throw ProblemDetails.notFound("Không tìm thấy thông tin điều hành.") }
        for try await (fid, name, type, size) in try await connection.query(
            "select id, name, content_type, size from notice_files where notice_id = \(id) order by name", logger: logger
        ).decode((UUID, String, String, Int).self) { detail.files.append(.init(id: fid, name: name, contentType: type, size: size)) }
        for try await (name, body, at) in try await connection.query(
            "select user_name, body, created_at from notice_replies where notice_id = \(id) order by created_at", logger: logger
        ).decode((String, String, Date).self) { detail.replies.append(.init(userName: name, body: body, createdAt: at)) }
        if isSender {
            var recipients: [Detail.Recipient] = []
            for try await (user, name, readAt) in try await connection.query(
                """
                select r.user_id, coalesce(p.full_name, r.user_id::text), r.read_at
                from notice_recipients r left join people p on p.user_id = r.user_id where r.notice_id = \(id) order by 2
                """, logger: logger
            ).decode((UUID, String, Date?).self) { recipients.append(.init(userId: user, name: name, readAt: readAt)) }
            detail.recipients = recipients
        }
        return detail
    }
}
