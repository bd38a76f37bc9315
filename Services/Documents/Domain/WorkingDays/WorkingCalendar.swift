import Contracts
import Foundation

/// Ngày làm việc of a state agency (Labour Code 2019, art. 111–112, and the Prime Minister's yearly
/// notices): Monday to Friday, except the public holidays (Tết Dương lịch; five days of Tết Nguyên đán,
/// the last day of the lunar year and the first four of the new; Giỗ Tổ Hùng Vương on 10/3 lunar;
/// 30/4; 1/5; Quốc khánh 2/9 and the day before), a holiday falling on a weekend moved to the next
/// working day, and what the government announces each year (a Saturday worked in exchange for a
/// bridging day off) given as `adjustments`, which override everything else.
struct WorkingCalendar: Sendable {
    /// Announced changes: `true` makes the date a working day, `false` a day off.
    var adjustments: [CalendarDate: Bool] = [:]

    struct Holiday: Equatable, Sendable {
        var date: CalendarDate
        var name: String
    }

    /// The public holidays of `year`, compensating days included (named "nghỉ bù").
    static func holidays(of year: Int) -> [Holiday] {
        var days: [Holiday] = []
        func add(_ day: Int, _ month: Int, _ y: Int, _ name: String) {
            if let date = CalendarDate(year: y, month: month, day: day) { days.append(Holiday(date: date, name: name)) }
        }
        add(1, 1, year, "Tết Dương lịch")
        // Tết of the lunar year that starts in this Gregorian year: the eve and mùng 1 to mùng 4.
        let tet = LunarCalendar.solar(lunarDay: 1, lunarMonth: 1, lunarYear: year)
        let firstDay = LunarCalendar.julianDay(day: tet.day, month: tet.month, year: tet.year)
        for offset in -1...3 {
            let (d, m, y) = LunarCalendar.gregorian(julianDay: firstDay + offset)
            add(d, m, y, "Tết Nguyên đán")
        }
        let gioTo = LunarCalendar.solar(lunarDay: 10, lunarMonth: 3, lunarYear: year)
        add(gioTo.day, gioTo.month, gioTo.year, "Giỗ Tổ Hùng Vương")
        add(30, 4, year, "Ngày Chiến thắng")
        add(1, 5, year, "Ngày Quốc tế Lao động")
        add(1, 9, year, "Quốc khánh")
        add(2, 9, year, "Quốc khánh")
        // A holiday on a Saturday or Sunday is taken on the next day that is neither weekend nor holiday.
        var taken = Set(days.map(\.date))
        for holiday in days where isWeekend(holiday.date) {
            var next = holiday.date
            repeat { next = next.adding(days: 1) } while isWeekend(next) || taken.contains(next)
            taken.insert(next)
            days.append(Holiday(date: next, name: "Nghỉ bù \(holiday.name)"))
        }
        return days.sorted { $0.date < $1.date }
    }

    static func isWeekend(_ date: CalendarDate) -> Bool {
        let weekday = (LunarCalendar.julianDay(day: date.day, month: date.month, year: date.year) + 1) % 7  // 0 = Sunday
        return weekday == 0 || weekday == 6
    }

    func isWorkingDay(_ date: CalendarDate) -> Bool {
        if let announced = adjustments[date] { return announced }
        return !Self.isWeekend(date) && !Self.holidays(of: date.year).contains { $0.date == date }
    }

    /// The date `count` working days after `date` (0: `date` itself if it is one, else the next one);
    /// `count` is bounded so that no input can loop for long.
    func adding(workingDays count: Int, to date: CalendarDate) -> CalendarDate {
        var day = date
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        var left = min(max(count, 0), 3_650)
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// The working days after `from` up to and including `to` (0 when `to` is not after `from`).
    func workingDays(from: CalendarDate, to: CalendarDate) -> Int {
        guard from < to else { return 0 }
        var count = 0
        var day = from
        for _ in 0..<36_600 where day < to {
            day = day.adding(days: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }

    /// The end (17:00 in Vietnam) of the first working day after `now`'s day: "due within a working day"
    /// means due before it.
    func endOfNextWorkingDay(after now: Date) -> Date {
        let next = adding(workingDays: 1, to: CalendarDate(now))
        return next.vietnamTime(hour: 17)
    }
}

extension CalendarDate {
    func adding(days: Int) -> CalendarDate {
        let (d, m, y) = LunarCalendar.gregorian(
            julianDay: LunarCalendar.julianDay(day: day, month: month, year: year) + days)
        return CalendarDate(year: y, month: m, day: d) ?? self  // past year 9999: stays, and loops are bounded
    }

    /// This day at `hour` o'clock in Vietnam (UTC+7).
    func vietnamTime(hour: Int) -> Date {
        let days = LunarCalendar.julianDay(day: day, month: month, year: year) - LunarCalendar.julianDay(day: 1, month: 1, year: 1970)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + (hour - 7) * 3600))
    }
}
