import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// The caller's iCalendar feed: a secret URL phones and desktop calendars subscribe to without a
/// token (the URL is the secret), revoked by asking for a new one.
struct FeedRoutes {
    let client: PostgresClient
    let logger: Logger
    /// How other programs reach this service, for the URL (IOFFICE_CALENDAR_PUBLIC_URL).
    let publicURL: String

    struct Feed: ResponseCodable { var url: String }

    func add(public router: Router<ServiceRequestContext>, api: RouterGroup<ServiceRequestContext>) {
        api.get("calendar/feed") { _, context -> Feed in
            let caller = try context.requireCaller()
            return Feed(url: url(try await token(for: caller.id, renew: false)))
        }
        api.post("calendar/feed/revoke") { _, context -> Feed in
            let caller = try context.requireCaller()
            logger.info("calendar feed revoked", metadata: ["user": "\(caller.username)"])
            return Feed(url: url(try await token(for: caller.id, renew: true)))
        }
        // Public on purpose: the unguessable token in the path is the credential.
        router.get("calendar/:file") { _, context -> Response in
            guard let file = context.parameters.get("file"), file.hasSuffix(".ics") else { throw ProblemDetails.notFound("Không tìm thấy lịch.") }
            let token = String(file.dropLast(4))
            return try await client.withConnection { connection in
                var owner: UUID?
                for try await user in try await connection.query("select user_id from calendar_feeds where token = \(token)", logger: logger)
                    .decode(UUID.self) { owner = user }
                guard let owner else { throw ProblemDetails.notFound("Không tìm thấy lịch.") }
                let text = try await FeedCalendar.render(for: owner, on: connection, logger: logger)
                return Response(
                    status: .ok, headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
    }

    func url(_ token: String) -> String { "\(publicURL)/calendar/\(token).ics" }

    private func token(for user: UUID, renew: Bool) async throws -> String {
        let fresh = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let rows = try await client.query(
            renew
                ? "insert into calendar_feeds (user_id, token) values (\(user), \(fresh)) on conflict (user_id) do update set token = excluded.token, created_at = now() returning token"
                : "insert into calendar_feeds (user_id, token) values (\(user), \(fresh)) on conflict (user_id) do update set user_id = excluded.user_id returning token",
            logger: logger)
        for try await token in rows.decode(String.self) { return token }
        throw ProblemDetails.notFound("Không tạo được lịch.")
    }
}

/// One person's calendar as iCalendar: the meetings they organise or are invited to, and their
/// own and published agency schedule entries.
enum FeedCalendar {
    static func render(for user: UUID, on connection: PostgresConnection, logger: Logger, now: Date = Date()) async throws -> String {
        var events: [ICalendar.Event] = []
        var name = "Lịch công tác"
        for try await full in try await connection.query("select full_name from people where user_id = \(user)", logger: logger).decode(String.self) {
            name = "Lịch công tác – \(full)"
        }
        let meetings = try await MeetingStore.meetings(
            where: "organizer_id = \(user) or id in (select meeting_id from meeting_attendees where user_id = \(user))", on: connection, logger: logger)
        for meeting in meetings {
            let attendees = try await MeetingStore.attendees(meeting.id, on: connection, logger: logger)
            events.append(
                ICalendar.Event(
                    uid: "meeting-\(meeting.id.uuidString.lowercased())@ioffice", sequence: meeting.sequence, start: meeting.start, end: meeting.end,
                    summary: meeting.title, location: meeting.room ?? meeting.place, description: meeting.invitation,
                    organizer: .init(id: meeting.organizerId, name: meeting.organizerName),
                    attendees: attendees.map { .init(person: .init(id: $0.id, name: $0.name), status: MeetingAnswer.partStat($0.answer)) },
                    rule: meeting.rule, exceptions: exceptionStarts(meeting), cancelled: meeting.state == "cancelled", updated: meeting.updated))
        }
        for try await (id, start, end, allDay, place, content, scope) in try await connection.query(
            """
            select e.id, e.starts_at, e.ends_at, e.all_day, e.place, e.content, e.scope from schedule_entries e
            where (e.scope = 'person' and e.owner_id = \(user))
               or (e.scope = 'agency' and exists (select 1 from schedule_weeks w where w.scope = 'agency' and w.week = e.week and w.state = 'published'))
            """, logger: logger
        ).decode((UUID, Date, Date, Bool, String, String, String).self) {
            events.append(
                ICalendar.Event(
                    uid: "schedule-\(id.uuidString.lowercased())@ioffice", sequence: 0, start: start, end: allDay ? start.addingTimeInterval(86_400) : end,
                    allDay: allDay, summary: content, location: place, description: scope == "agency" ? "Lịch công tác cơ quan" : nil, updated: start))
        }
        return ICalendar(name: name, events: events).render(now: now)
    }

    /// The starts of the occurrences taken out, for EXDATE.
    static func exceptionStarts(_ meeting: MeetingStore.Meeting) -> [Date] {
        let calendar = Recurrence.calendar
        let time = calendar.dateComponents([.hour, .minute, .second], from: meeting.start)
        return meeting.exceptions.compactMap { text in
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: time.hour, minute: time.minute, second: time.second))
        }
    }
}
