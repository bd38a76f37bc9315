import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// A reminder before each meeting (its reminder_minutes, one hour by default), once per occurrence,
/// to those who have not declined. Checks every minute.
struct ReminderWatch: Service {
    let client: PostgresClient
    let logger: Logger
    var every: Duration = .seconds(60)

    func run() async throws {
        try await repeatEvery(every, what: "meeting reminders", logger: logger) { try await remind(now: Date()) }
    }

    func remind(now: Date) async throws {
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            let meetings = try await MeetingStore.meetings(
                where: "state = 'scheduled' and starts_at < \(now.addingTimeInterval(86_400)) for update skip locked", on: connection, logger: logger)
            // How long before each, and up to which occurrence it was reminded: one query for all of them.
            var settings: [UUID: (minutes: Int, reminded: Date?, sms: Bool)] = [:]
            for try await (id, minutes, reminded, sms) in try await connection.query(
                "select id, reminder_minutes, reminded_until, sms_allowed from meetings where id = any(\(meetings.map(\.id)))", logger: logger
            ).decode((UUID, Int, Date?, Bool).self) { settings[id] = (minutes, reminded, sms) }
            for meeting in meetings {
                let (stored, reminded, sms) = settings[meeting.id] ?? (60, nil, false)
                let minutes = MeetingBounds.clampedReminder(stored)
                let window = now..<now.addingTimeInterval(TimeInterval(minutes * 60))
                guard let next = meeting.starts(in: window).first(where: { $0 >= now }), reminded.map({ $0 < next }) ?? true else { continue }
                let people = try await MeetingStore.attendees(meeting.id, on: connection, logger: logger).filter { $0.answer != "decline" }.map(\.id)
                try await MeetingStore.notify(
                    people, title: "Sắp họp: \(meeting.title)",
                    body: "\(MeetingChange.span(next, next.addingTimeInterval(meeting.end.timeIntervalSince(meeting.start)))), \(meeting.room ?? meeting.place ?? "")",
                    // Its SMS count against the organiser's limit like the invitation's (a daily meeting with many
                    // attendees would otherwise send uncounted SMS every day).
                    sms: sms, sender: meeting.organizerId, meeting: meeting.id, on: connection, logger: logger)
                try await connection.query("update meetings set reminded_until = \(next) where id = \(meeting.id)", logger: logger)
            }
        }
    }
}
