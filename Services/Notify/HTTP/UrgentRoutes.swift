import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Thông báo khẩn: `POST /api/v1/urgent` `{text, until}` (needs `news.publish`), `GET /api/v1/urgent`
/// (what the caller has not yet acknowledged, or with `view=sent` what they sent and who acknowledged
/// it), `POST /api/v1/urgent/{id}/ack`. Every open event stream hears of a new one at once (`urgent`).
struct UrgentRoutes {
    let client: PostgresClient
    let logger: Logger

    static let maximumText = 500
    static let longest: TimeInterval = 30 * 86_400

    struct Notice: ResponseCodable, Sendable {
        var id: UUID
        var text: String
        var senderName: String
        var until: Date
        var createdAt: Date
        /// Who acknowledged it, for its sender (`view=sent`).
        var acknowledgedBy: [UUID]?
    }

    struct Input: Decodable { var text: String; var until: Date }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("urgent") { request, context -> EditedResponse<Notice> in
            let caller = try context.require(.newsPublish)
            let input = try await request.json(Input.self, context: context)
            let text = VietnameseText.clean(input.text)
            let now = Date()
            var problems: [ProblemDetails.FieldError] = []
            if text.isEmpty { problems.append(.init(field: "text", message: "Nhập nội dung thông báo khẩn.")) }
            if text.count > Self.maximumText { problems.append(.init(field: "text", message: "Thông báo khẩn dài quá \(Self.maximumText) ký tự.")) }
            if input.until <= now || input.until > now.addingTimeInterval(Self.longest) {
                problems.append(.init(field: "until", message: "Thời hạn hiển thị phải sau lúc này và trong vòng 30 ngày."))
            }
            guard problems.isEmpty else { throw ProblemDetails.invalid(problems) }
            let id = UUID()
            try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await connection.query(
                    """
                    insert into urgent_notices (id, sender_id, sender_name, text, until, created_at)
                    values (\(id), \(caller.id), \(caller.fullName), \(text), \(input.until), \(now))
                    """, logger: logger)
                // Sent with the commit: every Notify process tells its open streams.
                try await InboxEvents.announceUrgent(on: connection, logger: logger)
            }
            return EditedResponse(
                status: .created, response: Notice(id: id, text: text, senderName: caller.fullName, until: input.until, createdAt: now, acknowledgedBy: []))
        }
        api.get("urgent") { request, context -> [Notice] in
            let caller = try context.requireCaller()
            let sent = request.uri.queryParameters.get("view") == "sent"
            var notices: [Notice] = []
            let query: PostgresQuery =
                sent
                ? """
                    select n.id, n.text, n.sender_name, n.until, n.created_at,
                        coalesce((select array_agg(a.user_id order by a.at) from urgent_acks a where a.notice_id = n.id), '{}')
                    from urgent_notices n where n.sender_id = \(caller.id) order by n.created_at desc limit 100
                    """
                : """
                    select n.id, n.text, n.sender_name, n.until, n.created_at, '{}'::uuid[]
                    from urgent_notices n
                    where n.until > now() and not exists (select 1 from urgent_acks a where a.notice_id = n.id and a.user_id = \(caller.id))
                    order by n.created_at desc limit 20
                    """
            for try await (id, text, sender, until, created, acks) in try await client.query(query, logger: logger)
                .decode((UUID, String, String, Date, Date, [UUID]).self)
            {
                notices.append(Notice(id: id, text: text, senderName: sender, until: until, createdAt: created, acknowledgedBy: sent ? acks : nil))
            }
            return notices
        }
        api.post("urgent/:id/ack") { _, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            let id = try InboxRoutes.id(context)
            var found = false
            for try await _ in try await client.query(
                """
                with notice as (select id from urgent_notices where id = \(id))
                insert into urgent_acks (notice_id, user_id) select id, \(caller.id) from notice
                on conflict (notice_id, user_id) do update set at = urgent_acks.at returning 1
                """, logger: logger) { found = true }
            guard found else { throw ProblemDetails.notFound("Không tìm thấy thông báo khẩn.") }
            return .noContent
        }
    }
}
