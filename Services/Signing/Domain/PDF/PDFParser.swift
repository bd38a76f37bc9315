/// Reads PDF objects from bytes (ISO 32000-1 §7.2–7.3): tokens, direct objects, and indirect objects
/// (`N G obj … endobj`, streams included) at a given offset. It reads what it is pointed at and nothing
/// else: where objects are is the cross-reference data's business, never a text search.
struct PDFParser {
    let bytes: [UInt8]
    var position: Int
    let budget: PDFBudget
    static let maximumDepth = 48

    init(_ bytes: [UInt8], at position: Int, budget: PDFBudget) {
        self.bytes = bytes
        self.position = position
        self.budget = budget
    }

    /// An indirect object at the parser's position. `length` resolves a stream's `/Length` when it is a
    /// reference. Returns the header's number and generation, the object, and where `endobj` ends.
    mutating func indirectObject(length: (PDFReference) throws -> Int?) throws -> (PDFReference, PDFObject, end: Int) {
        skipSpace()
        guard let number = try unsignedInteger(), isSpace(at: position) || isDelimiter(at: position) else {
            throw PDFSyntaxError.malformed("không có đầu đối tượng tại vị trí \(position)")
        }
        skipSpace()
        guard let generation = try unsignedInteger() else { throw PDFSyntaxError.malformed("thiếu số thế hệ của đối tượng \(number)") }
        skipSpace()
        guard keyword("obj") else { throw PDFSyntaxError.malformed("thiếu từ khóa obj của đối tượng \(number)") }
        let reference = PDFReference(number: number, generation: generation)
        var object = try value(depth: 0)
        skipSpace()
        if case .dictionary(let dictionary) = object, keyword("stream") {
            object = .stream(try streamData(dictionary, of: reference, length: length))
            skipSpace()
        }
        guard keyword("endobj") else { throw PDFSyntaxError.malformed("đối tượng \(number) không kết thúc bằng endobj") }
        return (reference, object, position)
    }

    private mutating func streamData(_ dictionary: PDFDictionary, of reference: PDFReference, length: (PDFReference) throws -> Int?)
        throws -> PDFStream
    {
        // "stream" is followed by CRLF or LF; a lone CR is tolerated, as readers do.
        if position < bytes.count, bytes[position] == 0x0d { position += 1 }
        if position < bytes.count, bytes[position] == 0x0a { position += 1 }
        let declared: Int?
        switch dictionary["Length"] {
        case .integer(let value): declared = value
        case .reference(let target) where target != reference: declared = try length(target)
        default: declared = nil
        }
        guard let count = declared, count >= 0, count <= bytes.count - position else {
            throw PDFSyntaxError.malformed("/Length của luồng dữ liệu trong đối tượng \(reference.number) không hợp lệ")
        }
        let data = bytes[position..<position + count]
        position += count
        skipSpace()
        guard keyword("endstream") else {
            throw PDFSyntaxError.malformed("luồng dữ liệu của đối tượng \(reference.number) không dài đúng /Length")
        }
        return PDFStream(dictionary: dictionary, data: data)
    }

    /// One direct object (a reference `N G R` included).
    mutating func value(depth: Int) throws -> PDFObject {
        guard depth < Self.maximumDepth else { throw PDFSyntaxError.tooComplex("các đối tượng lồng nhau quá sâu") }
        try budget.spend(1)
        skipSpace()
        guard position < bytes.count else { throw PDFSyntaxError.malformed("hết tệp giữa một đối tượng") }
        switch bytes[position] {
        case UInt8(ascii: "/"):
            return .name(try name())
        case UInt8(ascii: "("):
            return .string(try literalString())
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") { return .dictionary(try dictionary(depth: depth)) }
            return .string(try hexString())
        case UInt8(ascii: "["):
            position += 1
            var items: [PDFObject] = []
            while true {
                skipSpace()
                guard position < bytes.count else { throw PDFSyntaxError.malformed("mảng không đóng") }
                if bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .array(items)
                }
                items.append(try value(depth: depth + 1))
            }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), 0x30...0x39:
            return try numberOrReference()
        default:
            if keyword("true") { return .boolean(true) }
            if keyword("false") { return .boolean(false) }
            if keyword("null") { return .null }
            throw PDFSyntaxError.malformed("ký tự không mong đợi tại vị trí \(position)")
        }
    }

    private mutating func dictionary(depth: Int) throws -> PDFDictionary {
        position += 2
        var result = PDFDictionary()
        while true {
            skipSpace()
            guard position < bytes.count else { throw PDFSyntaxError.malformed("từ điển không đóng") }
            if bytes[position] == UInt8(ascii: ">") {
                guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else {
                    throw PDFSyntaxError.malformed("từ điển đóng sai tại vị trí \(position)")
                }
                position += 2
                return result
            }
            guard bytes[position] == UInt8(ascii: "/") else { throw PDFSyntaxError.malformed("khóa từ điển không phải tên tại vị trí \(position)") }
            let key = try name()
            let item = try value(depth: depth + 1)
            guard result.entries.updateValue(item, forKey: key) == nil else {
                throw PDFSyntaxError.malformed("khóa /\(key) xuất hiện hai lần trong một từ điển")
            }
        }
    }

    private mutating func name() throws -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        while position < bytes.count, !isSpace(at: position), !isDelimiter(at: position) {
            var byte = bytes[position]
            if byte == UInt8(ascii: "#"), position + 2 < bytes.count, let high = Bytes.hexValue(bytes[position + 1]),
                let low = Bytes.hexValue(bytes[position + 2])
            {
                byte = high << 4 | low
                position += 2
            }
            scalars.append(Unicode.Scalar(byte))
            position += 1
        }
        return String(scalars)
    }

    private mutating func literalString() throws -> [UInt8] {
        position += 1
        var out: [UInt8] = []
        var depth = 1
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                depth += 1
                out.append(byte)
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return out }
                out.append(byte)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { break }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case 0x30...0x37:
                    var code = Int(escaped - 0x30)
                    for _ in 0..<2 where position < bytes.count && (0x30...0x37).contains(bytes[position]) {
                        code = code * 8 + Int(bytes[position] - 0x30)
                        position += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: code))
                case 0x0d:
                    if position < bytes.count, bytes[position] == 0x0a { position += 1 }
                case 0x0a: break
                default: out.append(escaped)
                }
            default:
                out.append(byte)
            }
        }
        throw PDFSyntaxError.malformed("chuỗi không đóng")
    }

    private mutating func hexString() throws -> [UInt8] {
        let start = position + 1
        guard let close = Bytes.first([UInt8(ascii: ">")], in: bytes, range: start..<bytes.count) else {
            throw PDFSyntaxError.malformed("chuỗi hexa không đóng")
        }
        guard let decoded = Hex.decode(bytes, start..<close) else { throw PDFSyntaxError.malformed("chuỗi hexa có ký tự lạ") }
        position = close + 1
        return decoded
    }

    private mutating func numberOrReference() throws -> PDFObject {
        let first = try number()
        guard case .integer(let number) = first, number >= 0 else { return first }
        // `N G R`: look ahead without consuming when it is not a reference.
        let after = position
        skipSpace()
        if let generation = try unsignedInteger() {
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "R"), position + 1 == bytes.count || isSpace(at: position + 1)
                || isDelimiter(at: position + 1)
            {
                position += 1
                return .reference(PDFReference(number: number, generation: generation))
            }
        }
        position = after
        return first
    }

    /// An integer or a real; an integer part past `Int.max` is refused.
    private mutating func number() throws -> PDFObject {
        var negative = false
        if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            negative = bytes[position] == UInt8(ascii: "-")
            position += 1
        }
        let integerPart = try unsignedInteger()
        let whole = integerPart ?? 0
        let digits = integerPart == nil ? 0 : 1
        guard position < bytes.count, bytes[position] == UInt8(ascii: ".") else {
            guard digits > 0 else { throw PDFSyntaxError.malformed("số không hợp lệ tại vị trí \(position)") }
            return .integer(negative ? -whole : whole)
        }
        position += 1
        var fraction = 0.0
        var scale = 0.1
        var fractionDigits = 0
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) {
            if fractionDigits < 17 { fraction += Double(bytes[position] - 0x30) * scale }
            scale /= 10
            fractionDigits += 1
            position += 1
        }
        guard digits + fractionDigits > 0 else { throw PDFSyntaxError.malformed("số không hợp lệ tại vị trí \(position)") }
        let value = Double(whole) + fraction
        return .real(negative ? -value : value)
    }

    /// Digits only, up to `Int.max`; nil (position unchanged) when none are there.
    mutating func unsignedInteger() throws -> Int? {
        var value = 0
        var digits = 0
        while position < bytes.count, (0x30...0x39).contains(bytes[position]) {
            value = try Self.append(bytes[position], to: value, at: position)
            digits += 1
            position += 1
        }
        return digits > 0 ? value : nil
    }

    /// `value * 10 + digit`, refused past `Int.max` (leading zeros cost nothing).
    static func append(_ digit: UInt8, to value: Int, at position: Int) throws -> Int {
        let (times, overflow) = value.multipliedReportingOverflow(by: 10)
        let (sum, carry) = times.addingReportingOverflow(Int(digit - 0x30))
        guard !overflow, !carry else { throw PDFSyntaxError.malformed("số quá lớn tại vị trí \(position)") }
        return sum
    }

    /// Consumes `word` when it is there as a whole token.
    mutating func keyword(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { text in (0..<count).allSatisfy { bytes[position + $0] == text[$0] } }
        guard matches, position + count == bytes.count || isSpace(at: position + count) || isDelimiter(at: position + count) else {
            return false
        }
        position += count
        return true
    }

    /// Whitespace and comments.
    mutating func skipSpace() {
        while position < bytes.count {
            if isSpace(at: position) {
                position += 1
            } else if bytes[position] == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0a, bytes[position] != 0x0d { position += 1 }
            } else {
                return
            }
        }
    }

    /// Both answer false past the end, so that a token that runs to the end of the file is never read past it.
    func isSpace(at index: Int) -> Bool { index < bytes.count && Bytes.isWhitespace(bytes[index]) }

    func isDelimiter(at index: Int) -> Bool {
        guard index < bytes.count else { return false }
        return switch bytes[index] {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default: false
        }
    }
}

/// Why a PDF's structure cannot be read.
enum PDFSyntaxError: Error, Equatable, Sendable {
    case malformed(String)
    /// Past a limit (nesting, object count, decoded size, time): refused rather than worked through.
    case tooComplex(String)

    var why: String {
        switch self {
        case .malformed(let why), .tooComplex(let why): why
        }
    }
}
