import Foundation

/// The RRULE subset of weekly briefings (RFC 5545): daily, weekly on given days, monthly on the start's
/// day; every `interval`; ending at `until` or after `count` occurrences; with dates taken out.
struct Recurrence: Equatable, Sendable {
    enum Frequency: String, Sendable { case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY" }

    var frequency: Frequency
    var interval = 1
    /// Weekly only: 1 = Sunday … 7 = Saturday (Calendar's weekday numbers); empty means the start's day.
    var weekdays: [Int] = []
    var until: Date?
    var count: Int?

    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!
    static let dayCodes = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Parses `FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20270131T170000Z;COUNT=10;INTERVAL=2`; nil for anything else.
    init?(rule: String) {
        var parts: [String: String] = [:]
        for part in rule.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            parts[pair[0].uppercased()] = pair[1].uppercased()
        }
        guard let frequency = parts["FREQ"].flatMap(Frequency.init(rawValue:)) else { return nil }
        self.frequency = frequency
        if let interval = parts["INTERVAL"] {
            guard let value = Int(interval), MeetingBounds.interval.contains(value) else { return nil }
            self.interval = value
        }
        if let days = parts["BYDAY"] {
            guard frequency == .weekly else { return nil }
            let numbers = days.split(separator: ",").map { Self.dayCodes.firstIndex(of: String($0)).map { $0 + 1 } }
            guard !numbers.contains(nil) else { return nil }
            weekdays = numbers.compactMap { $0 }
        }
        if let text = parts["UNTIL"] {
            guard let date = Self.utcStamp.date(from: text) ?? Self.dayStamp.date(from: text) else { return nil }
            until = date
        }
        if let text = parts["COUNT"] {
            guard let value = Int(text), MeetingBounds.count.contains(value) else { return nil }
            count = value
        }
        guard until == nil || count == nil else { return nil }
        let known: Set<String> = ["FREQ", "INTERVAL", "BYDAY", "UNTIL", "COUNT"]
        guard Set(parts.keys).isSubset(of: known) else { return nil }
    }

    init(frequency: Frequency, interval: Int = 1, weekdays: [Int] = [], until: Date? = nil, count: Int? = nil) {
        self.frequency = frequency
        self.interval = interval
        self.weekdays = weekdays
        self.until = until
        self.count = count
    }

    /// The rule as RRULE text.
    var rule: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if !weekdays.isEmpty { parts.append("BYDAY=" + weekdays.sorted().map { Self.dayCodes[$0 - 1] }.joined(separator: ",")) }
        if let until { parts.append("UNTIL=" + Self.utcStamp.string(from: until)) }
        if let count { parts.append("COUNT=\(count)") }
        return parts.joined(separator: ";")
    }

    /// The starts of the occurrences that begin in `window`, the first at `start`, without the
    /// `exceptions` (days, in Vietnam). `count` counts the excepted ones too, as RFC 5545 does.
    func occurrences(from start: Date, in window: Range<Date>, except exceptions: Set<DayKey> = []) -> [Date] {
        let calendar = Self.calendar
        var found: [Date] = []
        var produced = 0
        var period = 0
        let limit = until ?? window.upperBound
        // Safe bound: at most 10 years of daily occurrences are looked at.
        while period < 3700 {
            let candidates: [Date]
            switch frequency {
            case .daily:
                candidates = [calendar.date(byAdding: .day, value: period * interval, to: start)].compactMap { $0 }
            case .monthly:
                // A month without the start's day (31, 30, 29) has no occurrence, as RFC 5545 says.
                let day = calendar.component(.day, from: start)
                candidates = [calendar.date(byAdding: .month, value: period * interval, to: start)]
                    .compactMap { $0 }.filter { calendar.component(.day, from: $0) == day }
            case .weekly:
                guard let weekStart = calendar.date(byAdding: .weekOfYear, value: period * interval, to: start) else { return found }
                let days = weekdays.isEmpty ? [calendar.component(.weekday, from: start)] : weekdays
                let startWeekday = calendar.component(.weekday, from: start)
                // Monday-based weeks (Vietnamese usage, and WKST=MO): days before the start's in the same week come first.
                let offsets = days.map { ($0 - startWeekday + 7) % 7 - (Self.mondayIndex($0) < Self.mondayIndex(startWeekday) ? 7 : 0) }
                candidates = offsets.sorted().compactMap { calendar.date(byAdding: .day, value: $0, to: weekStart) }.filter { $0 >= start }
            }
            for candidate in candidates {
                if candidate > limit { return found }
                if let count, produced >= count { return found }
                produced += 1
                if window.contains(candidate) && !exceptions.contains(DayKey(candidate)) { found.append(candidate) }
            }
            period += 1
        }
        return found
    }

    static func mondayIndex(_ weekday: Int) -> Int { (weekday + 5) % 7 }

    static let utcStamp: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter
    }()

    static let dayStamp: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyyMMdd"
        return formatter
    }()
}

/// A day in Vietnam, `2026-12-31`: what an exception takes out.
struct DayKey: Hashable, Sendable, Comparable {
    var text: String

    init(_ date: Date) {
        let parts = Recurrence.calendar.dateComponents([.year, .month, .day], from: date)
        text = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    init?(text: String) {
        guard text.count == 10, text.split(separator: "-").count == 3 else { return nil }
        self.text = text
    }

    static func < (lhs: DayKey, rhs: DayKey) -> Bool { lhs.text < rhs.text }
}
