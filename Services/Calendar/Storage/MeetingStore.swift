import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// SQL for meetings: the rows, who is invited and what they answered, room conflicts, and the
/// notification requests for Notify (through the outbox, in the transaction of the change).
enum MeetingStore {
    struct Meeting: Sendable {
        var id: UUID
        var organizerId: UUID
        var organizerName: String
        var title: String
        var start: Date
        var end: Date
        var room: String?
        var place: String?
        var invitation: String
        var rule: String?
        var exceptions: [String]
        var state: String
        var sequence: Int
        var updated: Date

        var recurrence: Recurrence? { rule.flatMap(Recurrence.init(rule:)) }

        /// Occurrence starts in `window` (one for a single meeting).
        func starts(in window: Range<Date>) -> [Date] {
            guard let recurrence else { return window.contains(start) || (start < window.lowerBound && end > window.lowerBound) ? [start] : [] }
            let span = end.timeIntervalSince(start)
            return recurrence.occurrences(
                from: start, in: window.lowerBound.addingTimeInterval(-span)..<window.upperBound,
                except: Set(exceptions.compactMap(DayKey.init(text:))))
        }
    }

    static let columns = "id, organizer_id, organizer_name, title, starts_at, ends_at, room, place, invitation, rrule, exdates, state, sequence, updated_at"

    static func meetings(where condition: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> [Meeting] {
        var found: [Meeting] = []
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "select \(columns) from meetings where " + condition.sql, binds: condition.binds), logger: logger)
        for try await (id, organizer, name, title, start, end, room, place, invitation, rule, exdates, state, sequence, updated) in rows.decode(
            (UUID, UUID, String, String, Date, Date, String?, String?, String, String?, [String], String, Int, Date).self)
        {
            found.append(
                Meeting(
                    id: id, organizerId: organizer, organizerName: name, title: title, start: start, end: end, room: room, place: place,
                    invitation: invitation, rule: rule, exceptions: exdates, state: state, sequence: sequence, updated: updated))
        }
        return found
    }

    static func meeting(_ id: UUID, forUpdate: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> Meeting? {
        try await meetings(where: forUpdate ? "id = \(id) for update" : "id = \(id)", on: connection, logger: logger).first
    }

    /// The scheduled meeting in `room` overlapping `start..<end` (any occurrence), other than `except`.
    /// The caller holds the room's lock, so two bookings cannot pass this check together.
    static func roomHolder(
        _ room: String, start: Date, end: Date, rule: Recurrence?, except: UUID?, on connection: PostgresConnection, logger: Logger
    ) async throws -> Meeting? {
        try await connection.query("select pg_advisory_xact_lock(hashtext(\("room:" + room.lowercased())))", logger: logger)
        let horizon = rule == nil ? end : end.addingTimeInterval(366 * 86_400)
        let candidates = try await meetings(
            where: "state = 'scheduled' and lower(room) = \(room.lowercased()) and id <> \(except ?? UUID()) and starts_at < \(horizon)",
            on: connection, logger: logger)
        let mine = rule.map { $0.occurrences(from: start, in: start..<horizon) } ?? [start]
        let span = end.timeIntervalSince(start)
        for candidate in candidates {
            for occurrence in mine {
                let window = occurrence..<occurrence.addingTimeInterval(span)
                let theirSpan = candidate.end.timeIntervalSince(candidate.start)
                if candidate.starts(in: window).contains(where: { $0 < window.upperBound && $0.addingTimeInterval(theirSpan) > window.lowerBound }) {
                    return candidate
                }
            }
        }
        return nil
    }

    /// Invited people already in another meeting at that time: names for a warning.
    static func busy(_ people: [UUID], start: Date, end: Date, except: UUID?, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var names: [String] = []
        for try await name in try await connection.query(
            """
            select distinct coalesce(p.full_name, a.user_id::text) from meeting_attendees a join meetings m on m.id = a.meeting_id
            left join people p on p.user_id = a.user_id
            where a.user_id = any(\(people)) and m.state = 'scheduled' and m.rrule is null and m.id <> \(except ?? UUID())
                and m.starts_at < \(end) and m.ends_at > \(start) and a.answer <> 'decline'
            order by 1
            """, logger: logger
        ).decode(String.self) { names.append(name) }
        return names
    }

    static func attendees(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [(id: UUID, name: String, answer: String, reason: String?, delegateTo: UUID?, viaUnit: UUID?)] {
        var found: [(UUID, String, String, String?, UUID?, UUID?)] = []
        for try await row in try await connection.query(
            """
            select a.user_id, coalesce(p.full_name, ''), a.answer, a.reason, a.delegate_to, a.via_unit
            from meeting_attendees a left join people p on p.user_id = a.user_id where a.meeting_id = \(id) order by 2
            """, logger: logger
        ).decode((UUID, String, String, String?, UUID?, UUID?).self) { found.append(row) }
        return found.map { (id: $0.0, name: $0.1, answer: $0.2, reason: $0.3, delegateTo: $0.4, viaUnit: $0.5) }
    }

    static func log(_ id: UUID, actor: UUID?, action: String, detail: String?, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            "insert into meeting_log (meeting_id, actor_id, action, detail) values (\(id), \(actor), \(action), \(detail))", logger: logger)
    }

    /// Tells `people` in the app, and by SMS when `sms` (the acting person may send SMS), through Notify;
    /// the SMS count against `sender`'s limit.
    static func notify(
        _ people: [UUID], title: String, body: String, sms: Bool, sender: UUID, meeting: UUID, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !people.isEmpty else { return }
        let request = NotificationRequestV1(
            requestId: UUID(), recipients: people, channels: sms ? [.inApp, .sms] : [.inApp], title: title, body: body,
            link: "/cuoc-hop/\(meeting.uuidString.lowercased())", sender: sms ? sender : nil)
        try await Outbox.enqueue(
            OutboxMessage(
                type: NotificationRequestV1.messageType, exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey,
                body: try request.encoded()), on: connection, logger: logger)
    }
}
