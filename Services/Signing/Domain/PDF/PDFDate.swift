/// PDF dates (ISO 32000-1 §7.9.4): `D:YYYYMMDDHHmmSS+07'00'`, every part after the year optional.
enum PDFDate {
    /// Unix seconds, or nil when it is not a date.
    static func seconds(_ bytes: [UInt8]) -> Int? {
        var text = Array(bytes)
        if text.starts(with: Array(ascii: "D:")) { text.removeFirst(2) }
        var index = 0
        func digits(_ count: Int, default value: Int?) -> Int? {
            guard index + count <= text.count, text[index..<index + count].allSatisfy({ (0x30...0x39).contains($0) }) else { return value }
            let number = text[index..<index + count].reduce(0) { $0 * 10 + Int($1 - 0x30) }
            index += count
            return number
        }
        guard let year = digits(4, default: nil), let month = digits(2, default: 1), let day = digits(2, default: 1),
            let hour = digits(2, default: 0), let minute = digits(2, default: 0), let second = digits(2, default: 0),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var offset = 0
        if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
            let sign = text[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            let hours = digits(2, default: 0) ?? 0
            if index < text.count, text[index] == UInt8(ascii: "'") { index += 1 }
            let minutes = digits(2, default: 0) ?? 0
            guard hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        return days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
