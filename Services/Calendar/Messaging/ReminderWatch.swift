import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// A reminder before each meeting (its reminder_minutes, one hour by default), once per occurrence,
/// to those who have not declined. Checks every minute.
struct ReminderWatch: Service {
    let client: PostgresClient
    let logger: Logger
    var every: Duration = .seconds(60)

    func run() async throws {
        while !Task.isCancelled {
            do {
                try await remind(now: Date())
            } catch {
                logger.warning("meeting reminders failed", metadata: ["error": "\(error)"])
            }
            // A graceful shutdown ends the wait, and with it the service.
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }

    func remind(now: Date) async throws {
        try await client.withTransaction(logger: logger) { connection in
            let meetings = try await MeetingStore.meetings(
                where: "state = 'scheduled' and starts_at < \(now.addingTimeInterval(86_400)) for update skip locked", on: connection, logger: logger)
            for meeting in meetings {
                var reminded: Date?
                for try await value in try await connection.query("select reminded_until from meetings where id = \(meeting.id)", logger: logger)
                    .decode(Date?.self) { reminded = value }
                var minutes = 60
                for try await value in try await connection.query("select reminder_minutes from meetings where id = \(meeting.id)", logger: logger)
                    .decode(Int.self) { minutes = value }
                let window = now..<now.addingTimeInterval(TimeInterval(minutes * 60))
                guard let next = meeting.starts(in: window).first(where: { $0 >= now }), reminded.map({ $0 < next }) ?? true else { continue }
                let people = try await MeetingStore.attendees(meeting.id, on: connection, logger: logger).filter { $0.answer != "decline" }.map(\.id)
                try await MeetingStore.notify(
                    people, title: "Sắp họp: \(meeting.title)",
                    body: "\(MeetingChange.span(next, next.addingTimeInterval(meeting.end.timeIntervalSince(meeting.start)))), \(meeting.room ?? meeting.place ?? "")",
                    meeting: meeting.id, on: connection, logger: logger)
                try await connection.query("update meetings set reminded_until = \(next) where id = \(meeting.id)", logger: logger)
            }
        }
    }
}
