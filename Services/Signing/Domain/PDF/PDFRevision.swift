/// One revision of a PDF: the file up to the end of one incremental update, with the objects its
/// cross-reference data names. A signature covers the revision its `/ByteRange` ends; the final file
/// is the last revision. Objects are read when asked for, each once.
final class PDFRevision {
    let bytes: [UInt8]
    let end: Int
    let crossReference: PDFCrossReference
    let budget: PDFBudget
    static let maximumNesting = 32
    private var cache: [Int: PDFObject] = [:]
    private var resolving: Set<Int> = []
    private var objectStreams: [Int: ObjectStream] = [:]

    private struct ObjectStream {
        var data: [UInt8]
        /// The object number and offset (from `/First`) of each object, in order.
        var objects: [(number: Int, offset: Int)]
    }

    init(_ bytes: [UInt8], end: Int, budget: PDFBudget) throws {
        self.bytes = bytes
        self.end = end
        self.budget = budget
        crossReference = try PDFCrossReference.read(bytes, end: end, budget: budget)
        guard crossReference.trailer["Encrypt"] == nil else { throw PDFSyntaxError.malformed("tệp PDF được mã hóa") }
    }

    var trailer: PDFDictionary { crossReference.trailer }
    var root: PDFReference? { trailer["Root"]?.reference }

    func entry(_ number: Int) -> PDFCrossReference.Entry { crossReference.entries[number] ?? .free }

    /// The object numbered `number`; the null object when the revision has none.
    func object(_ number: Int) throws -> PDFObject {
        if let cached = cache[number] { return cached }
        // Reading one object can read others (a stream's /Length, an object stream): a chain of them is
        // followed only so deep, so that no file can exhaust the stack.
        guard resolving.count < Self.maximumNesting else { throw PDFSyntaxError.tooComplex("chuỗi đối tượng phụ thuộc nhau quá dài") }
        guard resolving.insert(number).inserted else { throw PDFSyntaxError.malformed("đối tượng \(number) tham chiếu vòng tới chính nó") }
        defer { resolving.remove(number) }
        let object: PDFObject
        switch entry(number) {
        case .free:
            object = .null
        case .offset(let offset, let generation):
            var parser = PDFParser(bytes, at: offset, budget: budget)
            let (reference, value, objectEnd) = try parser.indirectObject(length: { try self.object($0.number).integer })
            guard reference.number == number, reference.generation == generation, objectEnd <= end else {
                throw PDFSyntaxError.malformed("đối tượng \(number) không nằm ở vị trí bảng tham chiếu chéo chỉ ra")
            }
            object = value
        case .compressed(let stream, let index):
            object = try compressed(number, in: stream, at: index)
        }
        cache[number] = object
        return object
    }

    /// `object` itself, or what it refers to (references to references followed).
    func resolve(_ object: PDFObject?) throws -> PDFObject {
        var current = object ?? .null
        for _ in 0..<32 {
            guard case .reference(let reference) = current else { return current }
            current = try self.object(reference.number)
        }
        throw PDFSyntaxError.malformed("chuỗi tham chiếu quá dài")
    }

    func dictionary(_ object: PDFObject?) throws -> PDFDictionary? { try resolve(object).dictionary }

    private func compressed(_ number: Int, in streamNumber: Int, at index: Int) throws -> PDFObject {
        guard case .offset = entry(streamNumber) else { throw PDFSyntaxError.malformed("luồng đối tượng \(streamNumber) không hợp lệ") }
        let stream = try objectStream(streamNumber)
        guard index < stream.objects.count, stream.objects[index].number == number else {
            throw PDFSyntaxError.malformed("đối tượng \(number) không có trong luồng đối tượng \(streamNumber)")
        }
        var parser = PDFParser(stream.data, at: stream.objects[index].offset, budget: budget)
        let value = try parser.value(depth: 0)
        if case .reference = value { throw PDFSyntaxError.malformed("đối tượng \(number) trong luồng đối tượng là một tham chiếu") }
        return value
    }

    private func objectStream(_ number: Int) throws -> ObjectStream {
        if let known = objectStreams[number] { return known }
        guard case .stream(let stream) = try object(number), stream.dictionary["Type"]?.name == "ObjStm",
            let count = stream.dictionary["N"]?.integer, let first = stream.dictionary["First"]?.integer,
            (0...PDFCrossReference.maximumObjectNumber).contains(count), first >= 0
        else { throw PDFSyntaxError.malformed("luồng đối tượng \(number) không hợp lệ") }
        let data = try PDFStreamDecoder.decode(stream, budget: budget)
        guard first <= data.count else { throw PDFSyntaxError.malformed("luồng đối tượng \(number) ngắn hơn /First") }
        var header = PDFParser(data, at: 0, budget: budget)
        var objects: [(number: Int, offset: Int)] = []
        try budget.spend(count)
        for _ in 0..<count {
            header.skipSpace()
            guard let objectNumber = try header.unsignedInteger() else { throw PDFSyntaxError.malformed("luồng đối tượng \(number) hỏng") }
            header.skipSpace()
            guard let offset = try header.unsignedInteger(), offset <= data.count - first else {
                throw PDFSyntaxError.malformed("luồng đối tượng \(number) hỏng")
            }
            objects.append((objectNumber, first + offset))
        }
        guard header.position <= first else { throw PDFSyntaxError.malformed("luồng đối tượng \(number) hỏng") }
        let parsed = ObjectStream(data: data, objects: objects)
        objectStreams[number] = parsed
        return parsed
    }
}
