import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// Nhắn tin SMS: a person with `sms.send` writes to colleagues; the history of every SMS with its state,
/// for its sender and for admins.
struct SmsRoutes {
    let client: PostgresClient
    let logger: Logger
    var rate = SendingRate()
    /// How long a typed SMS may wait for the gateway.
    var ttl = 4 * 3600

    struct SendRequest: Decodable {
        var recipients: [UUID]
        var text: String
    }

    struct Sent: ResponseCodable {
        var items: [Item]
        struct Item: Codable, Sendable {
            var smsId: UUID
            var recipientId: UUID
            var to: String?
            var state: String
            /// Why nothing was sent, for a person without a phone number.
            var error: String?
        }
    }

    struct History: ResponseCodable {
        var items: [Entry]
        var total: Int
        struct Entry: Codable, Sendable {
            var smsId: UUID
            var senderId: UUID?
            var recipientId: UUID
            var recipientName: String?
            var to: String?
            var text: String
            var state: String
            var stateName: String
            var error: String?
            var createdAt: Date
            var stateAt: Date
        }
    }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("sms") { request, context -> EditedResponse<Sent> in
            let caller = try context.require(.smsSend)
            let body = try await request.json(SendRequest.self, context: context)
            return EditedResponse(status: .created, response: try await send(body, by: caller))
        }
        api.get("sms") { request, context -> History in
            let caller = try context.requireCaller()
            let everyone = caller.has(.admin)
            let paging = try Paging(request)
            return try await client.withConnection { connection in
                var items: [History.Entry] = []
                let rows = try await connection.query(
                    """
                    select s.id, s.sender_id, s.recipient_id, p.full_name, s.phone, s.text, s.state, s.error, s.created_at, s.state_at
                    from sms s left join people p on p.user_id = s.recipient_id
                    where \(everyone) or s.sender_id = \(caller.id)
                    order by s.created_at desc, s.id limit \(paging.perPage) offset \(paging.offset)
                    """, logger: logger)
                for try await (id, sender, recipient, name, phone, text, state, error, at, stateAt) in rows.decode(
                    (UUID, UUID?, UUID, String?, String?, String, String, String?, Date, Date).self)
                {
                    let known = SmsState(rawValue: state)
                    items.append(
                        .init(
                            smsId: id, senderId: sender, recipientId: recipient, recipientName: name, to: phone, text: text, state: state,
                            stateName: known?.vietnameseName ?? state, error: error, createdAt: at, stateAt: stateAt))
                }
                var total = 0
                for try await value in try await connection.query(
                    "select count(*)::int from sms where \(everyone) or sender_id = \(caller.id)", logger: logger
                ).decode(Int.self) { total = value }
                return History(items: items, total: total)
            }
        }
    }

    func send(_ body: SendRequest, by caller: Caller) async throws -> Sent {
        let recipients = Array(Set(body.recipients))
        guard !recipients.isEmpty else { throw ProblemDetails.invalid([.init(field: "recipients", message: "Chọn người nhận.")]) }
        let text: String
        switch SmsText.typed(body.text) {
        case .success(let converted): text = converted
        case .failure(let refusal): throw ProblemDetails.invalid([.init(field: "text", message: refusal.message)])
        }
        return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            // Serialises one sender's sends, so the rate limit counts what is really there.
            try await connection.query("select pg_advisory_xact_lock(hashtext(\(caller.id.uuidString)))", logger: logger)
            let already = try await NotifyStore.sentBy(caller.id, since: Date().addingTimeInterval(-rate.window), on: connection, logger: logger)
            if case .failure(let refused) = rate.allows(recipients.count, alreadySent: already) {
                throw ProblemDetails(
                    type: "https://ioffice.example/problems/rate-limited", title: "Gửi quá nhiều tin", status: .tooManyRequests,
                    detail: refused.message)
            }
            // Only people of our agency: the directory copy holds exactly them.
            let people = try await NotifyStore.people(recipients, on: connection, logger: logger)
            let unknown = recipients.filter { people[$0]?.active != true }
            guard unknown.isEmpty else {
                throw ProblemDetails.invalid([.init(field: "recipients", message: "Người nhận không thuộc cơ quan hoặc đã nghỉ: \(unknown.map(\.uuidString).joined(separator: ", ")).")])
            }
            let now = Date()
            var items: [Sent.Item] = []
            for person in recipients.sorted(by: { $0.uuidString < $1.uuidString }) {
                let phone = people[person]?.phone
                guard let queued = try await NotifyStore.queueSms(
                    to: person, phone: phone, text: text, sender: caller.id, request: UUID(), ttl: ttl, priority: .high, at: now,
                    on: connection, logger: logger)
                else { continue }
                items.append(
                    .init(
                        smsId: queued.id, recipientId: person, to: queued.state == .noPhone ? nil : phone, state: queued.state.rawValue,
                        error: queued.state == .noPhone ? "\(people[person]?.name ?? "Người nhận") chưa có số điện thoại hợp lệ." : nil))
            }
            logger.info("sms sent by hand", metadata: ["sender": "\(caller.username)", "count": "\(items.count)"])
            return Sent(items: items)
        }
    }
}
