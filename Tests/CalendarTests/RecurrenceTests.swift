import Foundation
import Testing

@testable import Calendar

/// The RRULE subset over month and year boundaries, with exceptions, and the iCalendar text rules.
@Suite("Recurrence and iCalendar text", .timeLimit(.minutes(2)))
struct RecurrenceTests {
    static func at(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Recurrence.zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    static func days(_ dates: [Date]) -> [String] { dates.map { DayKey($0).text } }

    @Test func aWeeklyBriefingWithAnExceptionCrossesAMonthAndAYear() throws {
        // Giao ban every Monday and Thursday at 8:00 from Thursday 17 December 2026, not on New Year's Day.
        let rule = try #require(Recurrence(rule: "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20270115T000000Z"))
        let start = Self.at("2026-12-17 08:00")
        let found = rule.occurrences(
            from: start, in: Self.at("2026-12-01 00:00")..<Self.at("2027-02-01 00:00"), except: [try #require(DayKey(text: "2027-01-01"))])
        #expect(Self.days(found) == [
            "2026-12-17", "2026-12-21", "2026-12-24", "2026-12-28", "2026-12-31", "2027-01-04", "2027-01-07", "2027-01-11", "2027-01-14",
        ])
        #expect(found.allSatisfy { Recurrence.calendar.component(.hour, from: $0) == 8 })
        #expect(rule.rule == "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20270115T000000Z")
    }

    @Test func countIncludesExceptionsAndMonthlySkipsShortMonths() throws {
        let weekly = try #require(Recurrence(rule: "FREQ=WEEKLY;COUNT=4"))
        let start = Self.at("2026-12-24 14:00")
        let found = weekly.occurrences(from: start, in: start..<Self.at("2027-12-31 00:00"), except: [try #require(DayKey(text: "2026-12-31"))])
        #expect(Self.days(found) == ["2026-12-24", "2027-01-07", "2027-01-14"])
        let monthly = try #require(Recurrence(rule: "FREQ=MONTHLY;COUNT=3"))
        let end = Self.at("2027-06-01 00:00")
        #expect(Self.days(monthly.occurrences(from: Self.at("2026-12-31 09:00"), in: Self.at("2026-12-01 00:00")..<end)) == [
            "2026-12-31", "2027-01-31", "2027-03-31",
        ])
        let daily = try #require(Recurrence(rule: "FREQ=DAILY;INTERVAL=2;COUNT=3"))
        #expect(Self.days(daily.occurrences(from: Self.at("2026-12-30 07:30"), in: Self.at("2026-12-01 00:00")..<end)) == [
            "2026-12-30", "2027-01-01", "2027-01-03",
        ])
    }

    @Test func rulesOutsideTheSubsetAreRefused() {
        for text in ["FREQ=YEARLY", "FREQ=WEEKLY;BYDAY=XX", "FREQ=DAILY;BYDAY=MO", "FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z", "FREQ=WEEKLY;BYSETPOS=1", "COUNT=3"] {
            #expect(Recurrence(rule: text) == nil, "\(text)")
        }
    }

    @Test func textIsEscapedAndLinesFoldedAt75OctetsWithoutSplittingACharacter() {
        #expect(ICalendar.escape("Họp; bàn, kế hoạch\\năm\nmới") == "Họp\\; bàn\\, kế hoạch\\\\năm\\nmới")
        let line = "SUMMARY:" + String(repeating: "Hội nghị tổng kết công tác năm ", count: 5)
        let folded = ICalendar.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf8.count <= 75 })
        #expect(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(parts.enumerated().map { $0.offset == 0 ? $0.element : String($0.element.dropFirst()) }.joined() == line)
    }
}
