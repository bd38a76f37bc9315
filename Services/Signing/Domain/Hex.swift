/// Hex strings as PDFs write them (`/Contents <3082…>`), whitespace allowed between digits.
enum Hex {
    /// 0–15 for a hex digit, 0xFE for whitespace, 0xFF for anything else.
    static let table: [UInt8] = (0...255).map { byte in
        if let value = Bytes.hexValue(UInt8(byte)) { return value }
        return Bytes.isWhitespace(UInt8(byte)) ? 0xFE : 0xFF
    }

    /// The bytes of `data[range]`, or nil if it holds anything but hex digits and whitespace. A final odd
    /// digit counts as followed by 0, as the PDF specification says.
    static func decode(_ data: [UInt8], _ range: Range<Int>) -> [UInt8]? {
        guard range.lowerBound >= 0, range.upperBound <= data.count else { return nil }
        var out = [UInt8](repeating: 0, count: (range.count + 1) / 2)
        var count = 0
        var high: UInt8 = 0
        var odd = false
        let ok = data.withUnsafeBufferPointer { input -> Bool in
            table.withUnsafeBufferPointer { table in
                out.withUnsafeMutableBufferPointer { output in
                    for index in range {
                        let value = table[Int(input[index])]
                        if value == 0xFE { continue }
                        if value == 0xFF { return false }
                        if odd {
                            output[count] = high << 4 | value
                            count += 1
                        } else {
                            high = value
                        }
                        odd.toggle()
                    }
                    if odd {
                        output[count] = high << 4
                        count += 1
                    }
                    return true
                }
            }
        }
        guard ok else { return nil }
        out.removeLast(out.count - count)
        return out
    }
}
