import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// SQL for Notify: the directory copy, the in-app inbox, the SMS and their states.
enum NotifyStore {
    struct Person: Sendable {
        var id: UUID
        var name: String
        var phone: String?
        var active: Bool
    }

    static func upsert(_ user: DirectoryUserV1, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            insert into people (user_id, username, full_name, unit_id, phone, active, version)
            values (\(user.userId), \(user.username), \(VietnameseText.clean(user.fullName)), \(user.unitId), \(user.phone), \(user.active), \(user.version))
            on conflict (user_id) do update set username = excluded.username, full_name = excluded.full_name, unit_id = excluded.unit_id,
                phone = excluded.phone, active = excluded.active, version = excluded.version
            where people.version < excluded.version
            """, logger: logger)
    }

    static func people(_ ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws -> [UUID: Person] {
        var found: [UUID: Person] = [:]
        let rows = try await connection.query(
            "select user_id, full_name, phone, active from people where user_id = any(\(ids))", logger: logger)
        for try await (id, name, phone, active) in rows.decode((UUID, String, String?, Bool).self) {
            found[id] = Person(id: id, name: name, phone: phone, active: active)
        }
        return found
    }

    /// An in-app message; nothing when this request already reached this person.
    static func addMessage(
        to user: UUID, request: UUID?, title: String, body: String, link: String?, on connection: PostgresConnection, logger: Logger
    ) async throws -> UUID? {
        let id = UUID()
        let rows = try await connection.query(
            """
            insert into messages (id, user_id, request_id, title, body, link) values (\(id), \(user), \(request), \(title), \(body), \(link))
            on conflict (request_id, user_id) do nothing returning id
            """, logger: logger)
        for try await _ in rows { return id }
        return nil
    }

    /// An SMS to one person, queued with its `sms.v1` in the outbox (or recorded as impossible without
    /// a phone); nil when this request already reached this person.
    static func queueSms(
        to person: UUID, phone: String?, text: String, sender: UUID?, request: UUID?, ttl: Int, priority: SmsV1.Priority = .normal,
        at now: Date, on connection: PostgresConnection, logger: Logger
    ) async throws -> (id: UUID, state: SmsState)? {
        let id = UUID()
        let usable = phone.flatMap { SmsV1.isE164($0) ? $0 : nil }
        let state: SmsState = usable == nil ? .noPhone : .queued
        let rows = try await connection.query(
            """
            insert into sms (id, request_id, sender_id, recipient_id, phone, text, state, ttl_seconds, created_at, expires_at, state_at)
            values (\(id), \(request), \(sender), \(person), \(phone), \(text), \(state.rawValue), \(ttl), \(now),
                    \(now.addingTimeInterval(TimeInterval(ttl))), \(now))
            on conflict (request_id, recipient_id) do nothing returning id
            """, logger: logger)
        var inserted = false
        for try await _ in rows { inserted = true }
        guard inserted else { return nil }
        if let usable {
            let expiresAt = now.addingTimeInterval(TimeInterval(ttl))
            let sms = SmsV1(smsId: id, to: usable, text: text, ttlSeconds: ttl, priority: priority, expiresAt: expiresAt)
            try await Outbox.enqueue(
                OutboxMessage(
                    type: SmsV1.messageType, exchange: Routes.smsExchange, routingKey: Routes.smsOutboundKey, body: try sms.encoded(),
                    expiresAt: expiresAt),
                on: connection, logger: logger)
        }
        return (id, state)
    }

    /// Applies a gateway report through the state machine; false when it changed nothing.
    static func report(_ report: SmsReportV1, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        var current: SmsState?
        for try await state in try await connection.query("select state from sms where id = \(report.smsId) for update", logger: logger)
            .decode(String.self)
        { current = SmsState(rawValue: state) }
        guard let current, let next = current.applying(report.state) else { return false }
        try await connection.query(
            "update sms set state = \(next.rawValue), error = \(report.error), state_at = \(report.at) where id = \(report.smsId)", logger: logger)
        return true
    }

    /// How many SMS the person sent by hand since `since`.
    static func sentBy(_ sender: UUID, since: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        for try await count in try await connection.query(
            "select count(*)::int from sms where sender_id = \(sender) and created_at >= \(since)", logger: logger
        ).decode(Int.self) { return count }
        return 0
    }

    /// Queued SMS whose time ran out before the gateway took them become `expired`.
    static func expire(at now: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var count = 0
        for try await _ in try await connection.query(
            "update sms set state = 'expired', state_at = \(now) where state = 'queued' and expires_at < \(now) returning id", logger: logger)
        { count += 1 }
        return count
    }
}
