/// Where each object of one revision is (ISO 32000-1 §7.5.4–7.5.8): cross-reference tables and
/// streams, followed through `/Prev` to the first revision, with hybrid files' `/XRefStm`. The newest
/// section that names an object wins.
struct PDFCrossReference: Sendable {
    enum Entry: Equatable, Sendable {
        case free
        case offset(Int, generation: Int)
        case compressed(stream: Int, index: Int)
    }

    /// The highest object number a PDF may use (ISO 32000-1 Annex C).
    static let maximumObjectNumber = 8_388_607
    static let maximumSections = 4096

    var entries: [Int: Entry] = [:]
    /// The newest trailer (for a cross-reference stream, its dictionary).
    var trailer = PDFDictionary()
    /// Where each cross-reference section starts, and the object streams entries point into.
    var sectionOffsets: Set<Int> = []
    var objectStreams: Set<Int> = []

    /// The cross-reference data of the revision that ends at `end` (its `startxref … %%EOF`).
    static func read(_ bytes: [UInt8], end: Int, budget: PDFBudget) throws -> PDFCrossReference {
        let first = try lastSection(bytes, end: end, budget: budget)
        var result = PDFCrossReference()
        var visited: Set<Int> = []
        var next: Int? = first
        while let offset = next {
            guard offset < end, visited.insert(offset).inserted else {
                throw PDFSyntaxError.malformed("bảng tham chiếu chéo trỏ ra ngoài hoặc lặp lại (\(offset))")
            }
            guard visited.count <= maximumSections else { throw PDFSyntaxError.tooComplex("quá nhiều phiên bản") }
            let section = try readSection(bytes, at: offset, end: end, budget: budget)
            if visited.count == 1 { result.trailer = section.trailer }
            result.sectionOffsets.insert(offset)
            result.add(section.entries)
            if case .integer(let stream) = section.trailer["XRefStm"] {
                guard stream >= 0, stream < end else { throw PDFSyntaxError.malformed("/XRefStm ngoài tệp") }
                result.sectionOffsets.insert(stream)
                result.add(try readSection(bytes, at: stream, end: end, budget: budget).entries)
            }
            switch section.trailer["Prev"] {
            case nil: next = nil
            case .integer(let previous) where previous >= 0: next = previous
            default: throw PDFSyntaxError.malformed("/Prev không hợp lệ")
            }
        }
        return result
    }

    /// The offset the revision ending at `end` names after its last `startxref`.
    static func lastSection(_ bytes: [UInt8], end: Int, budget: PDFBudget) throws -> Int {
        guard end <= bytes.count, end > 16 else { throw PDFSyntaxError.malformed("tệp quá ngắn") }
        let tail = max(0, end - 1024)
        guard let keyword = Bytes.last(Array(ascii: "startxref"), in: bytes, before: end, notBefore: tail) else {
            throw PDFSyntaxError.malformed("không thấy startxref ở cuối phiên bản")
        }
        var parser = PDFParser(bytes, at: keyword + 9, budget: budget)
        parser.skipSpace()
        guard let first = try parser.unsignedInteger() else { throw PDFSyntaxError.malformed("startxref không có vị trí") }
        return first
    }

    private mutating func add(_ section: [(Int, Entry)]) {
        for (number, entry) in section where entries[number] == nil {
            entries[number] = entry
            if case .compressed(let stream, _) = entry { objectStreams.insert(stream) }
        }
    }

    static func readSection(_ bytes: [UInt8], at offset: Int, end: Int, budget: PDFBudget) throws -> (entries: [(Int, Entry)], trailer: PDFDictionary) {
        var parser = PDFParser(bytes, at: offset, budget: budget)
        parser.skipSpace()
        if parser.keyword("xref") { return try table(&parser, end: end) }
        return try stream(&parser, end: end, budget: budget)
    }

    /// `xref`, subsections `start count` of `offset generation n|f` lines, then `trailer << … >>`.
    private static func table(_ parser: inout PDFParser, end: Int) throws -> (entries: [(Int, Entry)], trailer: PDFDictionary) {
        var entries: [(Int, Entry)] = []
        while true {
            parser.skipSpace()
            if parser.keyword("trailer") { break }
            guard let start = try parser.unsignedInteger() else { throw PDFSyntaxError.malformed("bảng tham chiếu chéo hỏng") }
            parser.skipSpace()
            guard let count = try parser.unsignedInteger(), start <= maximumObjectNumber, count <= maximumObjectNumber + 1 - start else {
                throw PDFSyntaxError.malformed("bảng tham chiếu chéo hỏng")
            }
            for number in start..<start + count {
                try parser.budget.spend(1)
                parser.skipSpace()
                guard let position = try parser.unsignedInteger() else { throw PDFSyntaxError.malformed("dòng tham chiếu chéo hỏng") }
                parser.skipSpace()
                guard let generation = try parser.unsignedInteger(), generation <= 65535 else {
                    throw PDFSyntaxError.malformed("dòng tham chiếu chéo hỏng")
                }
                parser.skipSpace()
                guard parser.position < parser.bytes.count else { throw PDFSyntaxError.malformed("bảng tham chiếu chéo bị cắt") }
                let kind = parser.bytes[parser.position]
                parser.position += 1
                switch kind {
                case UInt8(ascii: "n"):
                    guard position < end else { throw PDFSyntaxError.malformed("đối tượng \(number) nằm ngoài tệp") }
                    entries.append((number, .offset(position, generation: generation)))
                case UInt8(ascii: "f"): entries.append((number, .free))
                default: throw PDFSyntaxError.malformed("dòng tham chiếu chéo hỏng")
                }
            }
        }
        guard case .dictionary(let trailer) = try parser.value(depth: 0) else { throw PDFSyntaxError.malformed("trailer không phải từ điển") }
        return (entries, trailer)
    }

    /// A cross-reference stream (`/Type /XRef`, `/W`, `/Index`).
    private static func stream(_ parser: inout PDFParser, end: Int, budget: PDFBudget) throws -> (entries: [(Int, Entry)], trailer: PDFDictionary) {
        let (_, object, objectEnd) = try parser.indirectObject(length: { _ in nil })
        guard objectEnd <= end, case .stream(let stream) = object, stream.dictionary["Type"]?.name == "XRef" else {
            throw PDFSyntaxError.malformed("startxref không trỏ tới bảng hay luồng tham chiếu chéo")
        }
        let dictionary = stream.dictionary
        guard let widths = dictionary["W"]?.array?.compactMap(\.integer), widths.count == 3, widths.allSatisfy({ (0...8).contains($0) }),
            widths[1] > 0, let size = dictionary["Size"]?.integer, (0...maximumObjectNumber + 1).contains(size)
        else { throw PDFSyntaxError.malformed("luồng tham chiếu chéo thiếu /W hoặc /Size") }
        var ranges: [(Int, Int)] = []
        if let index = dictionary["Index"]?.array {
            let numbers = index.compactMap(\.integer)
            guard numbers.count == index.count, numbers.count % 2 == 0 else { throw PDFSyntaxError.malformed("/Index không hợp lệ") }
            for pair in Swift.stride(from: 0, to: numbers.count, by: 2) {
                let (start, count) = (numbers[pair], numbers[pair + 1])
                guard start >= 0, count >= 0, start <= maximumObjectNumber, count <= maximumObjectNumber + 1 - start else {
                    throw PDFSyntaxError.malformed("/Index không hợp lệ")
                }
                ranges.append((start, count))
            }
        } else {
            ranges = [(0, size)]
        }
        let data = try PDFStreamDecoder.decode(stream, budget: budget)
        let rowWidth = widths.reduce(0, +)
        let rows = ranges.reduce(0) { $0 + $1.1 }
        guard rows <= data.count / rowWidth else { throw PDFSyntaxError.malformed("luồng tham chiếu chéo ngắn hơn /Index") }
        var entries: [(Int, Entry)] = []
        entries.reserveCapacity(rows)
        var at = 0
        func field(_ width: Int) -> Int {
            var value = 0
            for _ in 0..<width {
                value = value << 8 | Int(data[at])
                at += 1
            }
            return value
        }
        for (start, count) in ranges {
            try budget.spend(count)
            for number in start..<start + count {
                let type = widths[0] == 0 ? 1 : field(widths[0])
                let second = field(widths[1])
                let third = field(widths[2])
                switch type {
                case 0: entries.append((number, .free))
                case 1:
                    guard second >= 0, second < end else { throw PDFSyntaxError.malformed("đối tượng \(number) nằm ngoài tệp") }
                    entries.append((number, .offset(second, generation: third)))
                case 2:
                    guard (0...maximumObjectNumber).contains(second), third >= 0 else { throw PDFSyntaxError.malformed("luồng đối tượng không hợp lệ") }
                    entries.append((number, .compressed(stream: second, index: third)))
                default: entries.append((number, .free))  // reserved types read as the null object (§7.5.8.3)
                }
            }
        }
        return (entries, dictionary)
    }
}
