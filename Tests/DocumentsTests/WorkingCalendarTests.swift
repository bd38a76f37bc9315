import Contracts
import Foundation
import HummingbirdTesting
import Testing

@testable import Documents

/// Working days: the lunar calendar the holidays follow, the holidays and their compensating days, the
/// government's announced changes, and counting in working days; then the deadline reminder that
/// follows them, and the API that shows them.
@Suite("Working days (ngày làm việc)", .serialized, .timeLimit(.minutes(3)))
struct WorkingCalendarTests {
    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// Mùng 1 Tết and Giỗ Tổ (10/3, after the leap second month of 2023) as printed calendars give them.
    @Test(arguments: [
        (2020, "2020-01-25"), (2021, "2021-02-12"), (2022, "2022-02-01"), (2023, "2023-01-22"), (2024, "2024-02-10"),
        (2025, "2025-01-29"), (2026, "2026-02-17"), (2027, "2027-02-06"), (2028, "2028-01-26"),
    ] as [(Int, String)])
    func tetFallsOnThePrintedDay(year: Int, expected: String) {
        let tet = LunarCalendar.solar(lunarDay: 1, lunarMonth: 1, lunarYear: year)
        #expect(CalendarDate(year: tet.year, month: tet.month, day: tet.day)?.description == expected)
        #expect(LunarCalendar.lunar(day: tet.day, month: tet.month, year: tet.year) == .init(day: 1, month: 1, year: year, leap: false))
    }

    @Test(arguments: [(2023, "2023-04-29"), (2024, "2024-04-18"), (2025, "2025-04-07"), (2026, "2026-04-26")] as [(Int, String)])
    func gioToFallsOnThePrintedDay(year: Int, expected: String) {
        let day = LunarCalendar.solar(lunarDay: 10, lunarMonth: 3, lunarYear: year)
        #expect(CalendarDate(year: day.year, month: day.month, day: day.day)?.description == expected)
    }

    @Test func theHolidaysOf2026WithTheDayTakenForASundayHoliday() {
        let holidays = WorkingCalendar.holidays(of: 2026).map(\.date.description)
        #expect(holidays == [
            "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-26", "2026-04-27", "2026-04-30",
            "2026-05-01", "2026-09-01", "2026-09-02",
        ])
        #expect(WorkingCalendar.holidays(of: 2026).first { $0.date == Self.date("2026-04-27") }?.name == "Nghỉ bù Giỗ Tổ Hùng Vương")
    }

    @Test func countingInWorkingDaysSkipsWeekendsTetAndFollowsAnnouncements() {
        var calendar = WorkingCalendar()
        #expect(calendar.adding(workingDays: 1, to: Self.date("2026-12-04")) == Self.date("2026-12-07"), "Friday, then Monday")
        #expect(calendar.adding(workingDays: 3, to: Self.date("2026-02-13")) == Self.date("2026-02-25"), "over Tết")
        #expect(calendar.adding(workingDays: 0, to: Self.date("2026-04-26")) == Self.date("2026-04-28"))
        #expect(calendar.workingDays(from: Self.date("2026-02-13"), to: Self.date("2026-02-25")) == 3)
        #expect(!calendar.isWorkingDay(Self.date("2026-05-09")))
        calendar.adjustments = [Self.date("2026-05-09"): true, Self.date("2026-05-04"): false]
        #expect(calendar.isWorkingDay(Self.date("2026-05-09")) && !calendar.isWorkingDay(Self.date("2026-05-04")))
        // Hostile numbers are bounded, at the calendar's end too.
        #expect(calendar.adding(workingDays: Int.max, to: Self.date("2026-01-01")) > Self.date("2035-01-01"))
        #expect(calendar.workingDays(from: Self.date("9999-12-30"), to: Self.date("9999-12-31")) <= 1)
        _ = calendar.adding(workingDays: 10, to: Self.date("9999-12-30"))
    }

    struct Registered: Decodable { var id: UUID }

    /// A deadline on Monday is "due within a working day" on the Friday before, not a calendar day.
    @Test func aMondayDeadlineIsRemindedOnTheFridayBefore() async throws {
        let calendar = WorkingCalendar()
        // The next Friday after today that, with the Thursday before and the Monday after, is a working day
        // (so the test holds on any date).
        func weekday(_ date: CalendarDate) -> Int { (LunarCalendar.julianDay(day: date.day, month: date.month, year: date.year) + 1) % 7 }
        var candidate = CalendarDate(Date()).adding(days: 1)
        while weekday(candidate) != 5 || !calendar.isWorkingDay(candidate) || !calendar.isWorkingDay(candidate.adding(days: -1))
            || !calendar.isWorkingDay(candidate.adding(days: 3))
        {
            candidate = candidate.adding(days: 1)
        }
        let friday = candidate
        let monday = friday.adding(days: 3)
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let paper: [String: AnyEncodable] = [
                    "senderName": .init("Sở Tài chính"), "issuedAt": .init(CalendarDate(Date()).description), "documentType": .init("CV"),
                    "subject": .init("Dự toán ngân sách"),
                    "attachments": .init([["name": "scan.pdf", "contentType": "application/pdf", "data": Data(SampleDocuments.pdf).base64EncodedString()]]),
                ]
                let registered = try await client.send(.post, "/api/v1/incoming", token: office.clerk, json: paper).decoded(Registered.self)
                let routed = try await client.send(
                    .post, "/api/v1/incoming/\(registered.id)/actions", token: office.clerk,
                    json: IncomingEndToEndTests.Action(
                        action: "forward", to: [.init(userId: office.ids["head"], role: "main")], deadline: monday.vietnamTime(hour: 16)))
                #expect(routed.status == .ok)
                let watch = DeadlineWatch(client: harness.client, logger: testLogger)
                #expect(try await watch.scan(at: friday.adding(days: -1).vietnamTime(hour: 10)) == 0, "Thursday: Monday is two working days off")
                #expect(try await watch.scan(at: friday.vietnamTime(hour: 10)) == 1, "Friday: due by the end of the next working day")
            }
        }
    }

    @Test func theAPIShowsEachDayWithWhyItIsOffAndTakesTheAnnouncements() async throws {
        struct Day: Decodable { var date: String; var working: Bool; var reason: String? }
        struct Adjustment: Encodable { var day: String; var working: Bool; var note: String }
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                let days = try await client.send(.get, "/api/v1/working-days?from=2026-04-25&to=2026-04-28", token: people.specialist).decoded([Day].self)
                #expect(days.map(\.working) == [false, false, false, true])
                #expect(days.map(\.reason) == ["Nghỉ cuối tuần", "Giỗ Tổ Hùng Vương", "Nghỉ bù Giỗ Tổ Hùng Vương", nil])
                #expect(try await client.send(.get, "/api/v1/working-days?from=2026-04-28&to=2026-04-25", token: people.specialist).status == .unprocessableContent)
                #expect(try await client.send(.get, "/api/v1/working-days?from=2026-01-01&to=2027-12-31", token: people.specialist).status == .unprocessableContent)
                #expect(try await client.send(
                    .post, "/api/v1/working-day-adjustments", token: people.specialist, json: Adjustment(day: "2026-05-09", working: true, note: "Làm bù")
                ).status == .forbidden)
                #expect(try await client.send(
                    .post, "/api/v1/working-day-adjustments", token: people.admin, json: Adjustment(day: "2026-05-09", working: true, note: "Làm bù cho 04/5")
                ).status == .created)
                #expect(try await client.send(
                    .post, "/api/v1/working-day-adjustments", token: people.admin, json: Adjustment(day: "9/5/2026", working: true, note: "")
                ).status == .unprocessableContent)
                let saturday = try await client.send(.get, "/api/v1/working-days?from=2026-05-09&to=2026-05-09", token: people.specialist).decoded([Day].self)
                #expect(saturday.map(\.working) == [true])
            }
        }
    }
}
