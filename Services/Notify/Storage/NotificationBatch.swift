import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Valid notification requests written with set-based SQL: every in-app message in one statement,
/// the live announcements in one, the phone numbers in one, every SMS and its outbox row in two. A
/// request already seen (same request id for the same person) adds nothing, as one at a time would.
struct NotificationBatch {
    var requests: [NotificationRequestV1]
    var ttl: Int
    var outbound: SmsRoute
    /// What a person may send: SMS asked for on someone's behalf (`sender`) count against it as if typed.
    var rate = SendingRate()

    func write(on connection: PostgresConnection, logger: Logger) async throws {
        var inApp: (ids: [UUID], users: [UUID], requests: [UUID], titles: [String], bodies: [String], links: [String?]) = ([], [], [], [], [], [])
        var sms: [(request: UUID, user: UUID, text: String, sender: UUID?)] = []
        var allowance = try await senderAllowance(on: connection, logger: logger)
        for request in requests {
            let title = VietnameseText.clean(request.title)
            let body = VietnameseText.nfc(request.body)
            let recipients = Array(Set(request.recipients))
            if request.channels.contains(.inApp) {
                for user in recipients {
                    inApp.ids.append(UUID())
                    inApp.users.append(user)
                    inApp.requests.append(request.requestId)
                    inApp.titles.append(title)
                    inApp.bodies.append(body)
                    inApp.links.append(request.link)
                }
            }
            if request.channels.contains(.sms) {
                if let sender = request.sender, case .failure = rate.allows(recipients.count, alreadySent: allowance[sender, default: 0]) {
                    // Past the person's limit: told in the app only, as a typed SMS would be refused.
                    logger.notice(
                        "sms on behalf of a sender past their limit: in the app only",
                        metadata: ["sender": "\(sender)", "request": "\(request.requestId)", "recipients": "\(recipients.count)"])
                    continue
                }
                if let sender = request.sender { allowance[sender, default: 0] += recipients.count }
                let text = SmsText.system(body.isEmpty ? title : "\(title): \(body)")
                for user in recipients { sms.append((request.requestId, user, text, request.sender)) }
            }
        }
        if !inApp.ids.isEmpty {
            try await connection.query(
                """
                with added as (
                    insert into messages (id, user_id, request_id, title, body, link)
                    select id, user_id, request_id, title, body, nullif(link, '') from unnest(\(inApp.ids)::uuid[], \(inApp.users)::uuid[], \(inApp.requests)::uuid[], \(inApp.titles)::text[],
                        \(inApp.bodies)::text[], \(inApp.links.map { $0 ?? "" })::text[]) as m (id, user_id, request_id, title, body, link)
                    on conflict (request_id, user_id) do nothing returning user_id)
                select pg_notify(\(InboxEvents.channel), user_id::text) from (select distinct user_id from added) u
                """, logger: logger)
        }
        guard !sms.isEmpty else { return }
        var phones: [UUID: String] = [:]
        for try await (user, phone) in try await connection.query(
            "select user_id, phone from people where user_id = any(\(Array(Set(sms.map(\.user))))) and active and phone is not null", logger: logger
        ).decode((UUID, String).self) where SmsV1.isE164(phone) { phones[user] = phone }
        let now = Date()
        let ids = sms.map { _ in UUID() }
        var inserted: Set<UUID> = []
        for try await id in try await connection.query(
            """
            insert into sms (id, request_id, sender_id, recipient_id, phone, text, state, ttl_seconds, created_at, expires_at, state_at)
            select id, request_id, nullif(sender, '')::uuid, recipient_id, nullif(phone, ''), text, case when phone = '' then 'noPhone' else 'queued' end,
                \(ttl), \(now), \(now.addingTimeInterval(TimeInterval(ttl))), \(now)
            from unnest(\(ids)::uuid[], \(sms.map(\.request))::uuid[], \(sms.map(\.user))::uuid[], \(sms.map { phones[$0.user] ?? "" })::text[],
                \(sms.map(\.text))::text[], \(sms.map { $0.sender?.uuidString ?? "" })::text[]) as s (id, request_id, recipient_id, phone, text, sender)
            on conflict (request_id, recipient_id) do nothing returning id
            """, logger: logger
        ).decode(UUID.self) { inserted.insert(id) }
        var outbox: [OutboxMessage] = []
        for (id, entry) in zip(ids, sms) where inserted.contains(id) {
            guard let phone = phones[entry.user] else { continue }
            let expiresAt = now.addingTimeInterval(TimeInterval(ttl))
            let message = SmsV1(smsId: id, to: phone, text: entry.text, ttlSeconds: ttl, expiresAt: expiresAt)
            outbox.append(
                OutboxMessage(
                    type: SmsV1.messageType, exchange: outbound.exchange, routingKey: outbound.routingKey, body: try message.encoded(),
                    expiresAt: expiresAt))
        }
        try await Outbox.enqueue(outbox, on: connection, logger: logger)
    }

    /// How many SMS each sender of these requests sent within the rate's window, with each sender's
    /// sends serialised (in a fixed order, so two batches never wait on each other) until commit, as
    /// typed SMS are.
    private func senderAllowance(on connection: PostgresConnection, logger: Logger) async throws -> [UUID: Int] {
        let senders = Set(requests.filter { $0.channels.contains(.sms) }.compactMap(\.sender)).sorted { $0.uuidString < $1.uuidString }
        var sent: [UUID: Int] = [:]
        for sender in senders {
            try await connection.query("select pg_advisory_xact_lock(hashtext(\(sender.uuidString)))", logger: logger)
            sent[sender] = try await NotifyStore.sentBy(sender, since: Date().addingTimeInterval(-rate.window), on: connection, logger: logger)
        }
        return sent
    }
}
