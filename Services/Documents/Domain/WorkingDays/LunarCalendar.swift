import Foundation

/// The Vietnamese lunisolar calendar (âm lịch), computed for the UTC+7 meridian with the astronomical
/// new-moon and solar-longitude series of Hồ Ngọc Đức's published algorithm (itself after Meeus), which
/// the country's printed calendars follow. Used for the holidays that fall on lunar dates (Tết, Giỗ Tổ).
enum LunarCalendar {
    static let timeZone = 7.0

    struct LunarDate: Equatable, Sendable {
        var day: Int
        var month: Int
        var year: Int
        var leap: Bool
    }

    /// The Julian day number of a Gregorian date.
    static func julianDay(day: Int, month: Int, year: Int) -> Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    /// The Gregorian date of a Julian day number.
    static func gregorian(julianDay jd: Int) -> (day: Int, month: Int, year: Int) {
        let a = jd + 32044
        let b = (4 * a + 3) / 146_097
        let c = a - (b * 146_097) / 4
        let d = (4 * c + 3) / 1461
        let e = c - (1461 * d) / 4
        let m = (5 * e + 2) / 153
        return (e - (153 * m + 2) / 5 + 1, m + 3 - 12 * (m / 10), b * 100 + d - 4800 + m / 10)
    }

    /// The moment (Julian day, fractional) of the k-th new moon after 1900-01-01.
    static func newMoon(_ k: Int) -> Double {
        let t = Double(k) / 1236.85
        let t2 = t * t
        let t3 = t2 * t
        let dr = Double.pi / 180
        var jd = 2_415_020.75933 + 29.53058868 * Double(k) + 0.0001178 * t2 - 0.000000155 * t3
        jd += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * Double(k) - 0.0000333 * t2 - 0.00000347 * t3
        let mpr = 306.0253 + 385.81691806 * Double(k) + 0.0107306 * t2 + 0.00001236 * t3
        let f = 21.2964 + 390.67050646 * Double(k) - 0.0016528 * t2 - 0.00000239 * t3
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 = c1 - 0.4068 * sin(mpr * dr) + 0.0161 * sin(dr * 2 * mpr)
        c1 = c1 - 0.0004 * sin(dr * 3 * mpr)
        c1 = c1 + 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 = c1 - 0.0074 * sin(dr * (m - mpr)) + 0.0004 * sin(dr * (2 * f + m))
        c1 = c1 - 0.0004 * sin(dr * (2 * f - m)) - 0.0006 * sin(dr * (2 * f + mpr))
        c1 = c1 + 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT = t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2
        return jd + c1 - deltaT
    }

    /// The sun's longitude (radians, 0..<2π) at a fractional Julian day.
    static func sunLongitude(_ jdn: Double) -> Double {
        let t = (jdn - 2_451_545.0) / 36525
        let t2 = t * t
        let dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        let l = (l0 + dl) * dr
        return l - Double.pi * 2 * floor(l / (Double.pi * 2))
    }

    static func newMoonDay(_ k: Int) -> Int { Int(floor(newMoon(k) + 0.5 + timeZone / 24)) }

    /// Which of the twelve 30° sectors the sun is in at the start of the day.
    static func sunSector(_ day: Int) -> Int { Int(floor(sunLongitude(Double(day) - 0.5 - timeZone / 24) / Double.pi * 6)) }

    /// The first day of the 11th lunar month (the one holding the winter solstice) of `year`.
    static func month11(_ year: Int) -> Int {
        let off = julianDay(day: 31, month: 12, year: year) - 2_415_021
        let k = Int(floor(Double(off) / 29.530588853))
        let nm = newMoonDay(k)
        return sunSector(nm) >= 9 ? newMoonDay(k - 1) : nm
    }

    /// Which month after the 11th is the leap one, in a 13-month year starting at `a11`.
    static func leapMonthOffset(_ a11: Int) -> Int {
        let k = Int(floor((Double(a11) - 2_415_021.076998695) / 29.530588853 + 0.5))
        var i = 1
        var arc = sunSector(newMoonDay(k + i))
        var last = 0
        repeat {
            last = arc
            i += 1
            arc = sunSector(newMoonDay(k + i))
        } while arc != last && i < 14
        return i - 1
    }

    static func lunar(day: Int, month: Int, year: Int) -> LunarDate {
        let dayNumber = julianDay(day: day, month: month, year: year)
        let k = Int(floor((Double(dayNumber) - 2_415_021.076998695) / 29.530588853))
        var monthStart = newMoonDay(k + 1)
        if monthStart > dayNumber { monthStart = newMoonDay(k) }
        var a11 = month11(year)
        var b11 = a11
        var lunarYear: Int
        if a11 >= monthStart {
            lunarYear = year
            a11 = month11(year - 1)
        } else {
            lunarYear = year + 1
            b11 = month11(year + 1)
        }
        let lunarDay = dayNumber - monthStart + 1
        let diff = (monthStart - a11) / 29
        var leap = false
        var lunarMonth = diff + 11
        if b11 - a11 > 365 {
            let leapDiff = leapMonthOffset(a11)
            if diff >= leapDiff {
                lunarMonth = diff + 10
                leap = diff == leapDiff
            }
        }
        if lunarMonth > 12 { lunarMonth -= 12 }
        if lunarMonth >= 11 && diff < 4 { lunarYear -= 1 }
        return LunarDate(day: lunarDay, month: lunarMonth, year: lunarYear, leap: leap)
    }

    /// The Gregorian date of a (non-leap) lunar date.
    static func solar(lunarDay: Int, lunarMonth: Int, lunarYear: Int) -> (day: Int, month: Int, year: Int) {
        let (a11, b11) = lunarMonth < 11 ? (month11(lunarYear - 1), month11(lunarYear)) : (month11(lunarYear), month11(lunarYear + 1))
        var off = lunarMonth - 11
        if off < 0 { off += 12 }
        if b11 - a11 > 365, off >= leapMonthOffset(a11) { off += 1 }
        let k = Int(floor(0.5 + (Double(a11) - 2_415_021.076998695) / 29.530588853))
        return gregorian(julianDay: newMoonDay(k + off) + lunarDay - 1)
    }
}
