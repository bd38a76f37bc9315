#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte searching for PDF scanning: PDFs are bytes with ASCII keywords, not text. Forward searches jump
/// with the C library's `memchr` to each candidate first byte and compare with `memcmp`: many times
/// faster than a byte loop on a megabyte file.
enum Bytes {
    /// Every start of `pattern` in `data[range]`.
    static func indices(of pattern: [UInt8], in data: [UInt8], range: Range<Int>? = nil) -> [Int] {
        let range = range ?? 0..<data.count
        var found: [Int] = []
        var from = range.lowerBound
        while let at = first(pattern, in: data, range: from..<range.upperBound) {
            found.append(at)
            from = at + 1
        }
        return found
    }

    static func first(_ pattern: [UInt8], in data: [UInt8], range: Range<Int>) -> Int? {
        guard !pattern.isEmpty, range.lowerBound >= 0, range.upperBound <= data.count, range.count >= pattern.count else { return nil }
        return data.withUnsafeBytes { haystack -> Int? in
            pattern.withUnsafeBytes { needle -> Int? in
                guard let base = haystack.baseAddress, let needleBase = needle.baseAddress else { return nil }
                var from = range.lowerBound
                let last = range.upperBound - pattern.count
                while from <= last {
                    guard let hit = memchr(base + from, Int32(pattern[0]), last - from + 1) else { return nil }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, needleBase, pattern.count) == 0 { return at }
                    from = at + 1
                }
                return nil
            }
        }
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
