import Foundation
import HummingbirdTesting
import Testing

@testable import Calendar

/// Numbers and ranges a user chooses reach arithmetic and `Range`s: each is bounded and answered 422 in
/// Vietnamese, and the service keeps serving (a trap would end the process).
@Suite("Calendar: hostile numbers and ranges", .serialized, .timeLimit(.minutes(3)))
struct CalendarHostileNumbersTests {
    typealias Flow = CalendarFlowTests

    @Test func reversedOrHugeRangesNegativeRemindersAndHugeIntervalsAre422AndTheServiceKeepsServing() async throws {
        try await Flow.withCalendar { office, client, _, database, token in
            let organizer = try await token(office.organizer, [])
            // `to` before `from`: a Range precondition before; now a 422.
            let reversed = try await Flow.send(client, .get, "/api/v1/meetings?from=2027-01-01&to=2026-12-31", organizer)
            #expect(reversed.status == .unprocessableContent)
            #expect(String(buffer: reversed.body).contains("Khoảng thời gian"))
            let centuries = try await Flow.send(client, .get, "/api/v1/meetings?from=2026-01-01&to=2999-01-01", organizer)
            #expect(centuries.status == .unprocessableContent)

            var meeting = Flow.Meeting(
                title: "Họp giao ban", start: Flow.at("2026-12-07 08:00"), end: Flow.at("2026-12-07 09:00"), room: "Phòng họp số 2",
                attendees: [["userId": office.first]])
            for minutes in [-5, Int.max, Int.min, 10_081] {
                meeting.reminderMinutes = minutes
                let refused = try await Flow.send(client, .post, "/api/v1/meetings", organizer, meeting)
                #expect(refused.status == .unprocessableContent, "reminderMinutes \(minutes)")
            }
            meeting.reminderMinutes = nil
            for rule in ["FREQ=DAILY;INTERVAL=9223372036854775807", "FREQ=WEEKLY;INTERVAL=1000", "FREQ=DAILY;COUNT=9223372036854775807"] {
                meeting.rrule = rule
                let refused = try await Flow.send(client, .post, "/api/v1/meetings", organizer, meeting)
                #expect(refused.status == .unprocessableContent, "rrule \(rule)")
            }
            #expect(try await Flow.count("select count(*)::int from meetings", database) == 0)

            // A reminder written out of bounds by an older version is clamped, not multiplied into a trap.
            meeting.rrule = "FREQ=DAILY;INTERVAL=999"
            meeting.reminderMinutes = 10_080
            #expect(try await Flow.send(client, .post, "/api/v1/meetings", organizer, meeting).status == .created)
            try await database.query("update meetings set reminder_minutes = \(Int32.min)")
            try await ReminderWatch(client: database, logger: calendarLogger).remind(now: Flow.at("2026-12-07 07:30"))
            let listed = try await Flow.send(client, .get, "/api/v1/meetings?from=2026-12-01&to=2027-12-01", organizer)
            #expect(listed.status == .ok)
        }
    }
}
