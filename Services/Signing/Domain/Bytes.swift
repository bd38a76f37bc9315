/// Byte searching for PDF scanning: PDFs are bytes with ASCII keywords, not text.
enum Bytes {
    /// Every start of `pattern` in `data[range]`.
    static func indices(of pattern: [UInt8], in data: [UInt8], range: Range<Int>? = nil) -> [Int] {
        let range = range ?? 0..<data.count
        guard !pattern.isEmpty, range.count >= pattern.count else { return [] }
        var found: [Int] = []
        var index = range.lowerBound
        let last = range.upperBound - pattern.count
        let first = pattern[0]
        while index <= last {
            if data[index] == first, data[index..<index + pattern.count].elementsEqual(pattern) { found.append(index) }
            index += 1
        }
        return found
    }

    static func first(_ pattern: [UInt8], in data: [UInt8], range: Range<Int>) -> Int? {
        guard !pattern.isEmpty, range.count >= pattern.count else { return nil }
        var index = range.lowerBound
        while index <= range.upperBound - pattern.count {
            if data[index] == pattern[0], data[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }

    static func last(_ pattern: [UInt8], in data: [UInt8], before end: Int, notBefore start: Int = 0) -> Int? {
        guard !pattern.isEmpty else { return nil }
        var index = min(end, data.count) - pattern.count
        while index >= start {
            if data[index] == pattern[0], data[index..<index + pattern.count].elementsEqual(pattern) { return index }
            index -= 1
        }
        return nil
    }

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0a || byte == 0x0d || byte == 0x09 || byte == 0x0c || byte == 0 }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}

extension Array where Element == UInt8 {
    init(ascii text: String) { self = Array(text.utf8) }
}
