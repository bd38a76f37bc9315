/// Finds the signature dictionaries of a PDF without a full PDF parser: each `/ByteRange` with the
/// `/Contents` of the same object, checked against the file (bounds, the gap being exactly the
/// `/Contents` string). What later incremental updates changed is judged per signature: adding
/// signatures (signature dictionaries, their widgets, the catalog and page annotations) is the normal
/// case; anything else (new or replaced page content, other objects) is reported.
enum PDFSignatureScanner {
    static let maximumFile = 64 << 20
    static let maximumContents = 1 << 20

    struct Finding: Equatable, Sendable {
        var fields: [PDFSignatureField]
        /// Signature dictionaries that could not be read, with why.
        var malformed: [String]
    }

    static func scan(_ file: [UInt8]) throws(PDFProblem) -> Finding {
        guard file.count <= maximumFile else { throw .tooLarge }
        guard file.count >= 8, file[0..<5].elementsEqual(Array(ascii: "%PDF-")) else { throw .notPDF }
        var fields: [PDFSignatureField] = []
        var malformed: [String] = []
        for at in Bytes.indices(of: Array(ascii: "/ByteRange"), in: file) {
            do {
                fields.append(try field(at: at, in: file))
            } catch {
                if case .malformedSignature(let why) = error { malformed.append(why) }
            }
        }
        return Finding(fields: fields, malformed: malformed)
    }

    static func field(at start: Int, in file: [UInt8]) throws(PDFProblem) -> PDFSignatureField {
        // The enclosing object: from the previous "obj" to the next "endobj".
        let objectStart = Bytes.last(Array(ascii: " obj"), in: file, before: start) ?? 0
        // After the key: `/ByteRangendobj` must not end the object inside the key itself.
        guard let objectEnd = Bytes.first(Array(ascii: "endobj"), in: file, range: start + 10..<file.count) else {
            throw .malformedSignature("chữ ký không nằm trong một đối tượng PDF hoàn chỉnh")
        }
        let range = try byteRange(after: start + 10, in: file, limit: objectEnd)
        // Every number within the file before any sum, so that no sum can overflow.
        guard range.count == 4, range[0] == 0, range.allSatisfy({ (0...file.count).contains($0) }), range[1] > 0, range[2] > range[1],
            range[3] <= file.count - range[2]
        else { throw .malformedSignature("/ByteRange không hợp lệ hoặc vượt ngoài tệp") }
        // The gap must be exactly the /Contents hex string of this object.
        guard file[range[1]] == UInt8(ascii: "<"), file[range[2] - 1] == UInt8(ascii: ">"),
            range[1] > objectStart, range[2] <= objectEnd,
            let key = Bytes.last(Array(ascii: "/Contents"), in: file, before: range[1], notBefore: objectStart),
            file[key + 9..<range[1]].allSatisfy(Bytes.isWhitespace)
        else { throw .malformedSignature("/ByteRange không khớp với /Contents của chữ ký") }
        guard range[2] - range[1] - 2 <= maximumContents else { throw .malformedSignature("/Contents quá lớn") }
        guard let blob = Hex.decode(file, range[1] + 1..<range[2] - 1) else {
            throw .malformedSignature("/Contents không phải chuỗi hexa")
        }
        guard let length = DER.elementLength(blob) else { throw .malformedSignature("/Contents không chứa chữ ký CMS") }
        let subFilter = name(after: Array(ascii: "/SubFilter"), in: file, range: objectStart..<objectEnd) ?? ""
        let signedEnd = range[2] + range[3]
        return PDFSignatureField(
            byteRange: range, contents: Array(blob[0..<length]), subFilter: subFilter, coversWholeFile: signedEnd == file.count,
            laterChanges: signedEnd == file.count ? [] : laterChanges(in: file, after: signedEnd))
    }

    /// `[a b c d]` after the key.
    static func byteRange(after index: Int, in file: [UInt8], limit: Int) throws(PDFProblem) -> [Int] {
        guard index < limit else { throw .malformedSignature("thiếu /ByteRange") }
        guard let open = Bytes.first(Array(ascii: "["), in: file, range: index..<min(limit, index + 64)),
            let close = Bytes.first(Array(ascii: "]"), in: file, range: open..<min(limit, open + 128))
        else { throw .malformedSignature("thiếu /ByteRange") }
        var numbers: [Int] = []
        var current: Int?
        for byte in file[open + 1..<close] {
            if (0x30...0x39).contains(byte) {
                let digit = Int(byte - 0x30)
                guard (current ?? 0) <= (Int.max - digit) / 10 else { throw .malformedSignature("/ByteRange quá lớn") }
                current = (current ?? 0) * 10 + digit
            } else if Bytes.isWhitespace(byte) {
                if let value = current { numbers.append(value) }
                current = nil
            } else {
                throw .malformedSignature("/ByteRange không hợp lệ")
            }
        }
        if let value = current { numbers.append(value) }
        return numbers
    }

    /// The PDF name after `key` (`/SubFilter /adbe.pkcs7.detached` → `adbe.pkcs7.detached`).
    static func name(after key: [UInt8], in file: [UInt8], range: Range<Int>) -> String? {
        guard let at = Bytes.first(key, in: file, range: range) else { return nil }
        var index = at + key.count
        while index < range.upperBound, Bytes.isWhitespace(file[index]) { index += 1 }
        guard index < range.upperBound, file[index] == UInt8(ascii: "/") else { return nil }
        var end = index + 1
        while end < range.upperBound, !Bytes.isWhitespace(file[end]), !"/<>[]()".utf8.contains(file[end]) { end += 1 }
        return String(decoding: file[index + 1..<end], as: UTF8.self)
    }

    /// The objects of the revisions after `signedEnd` that do more than add a signature.
    static func laterChanges(in file: [UInt8], after signedEnd: Int) -> [String] {
        var changes: [String] = []
        let objects = Bytes.indices(of: Array(ascii: " obj"), in: file, range: signedEnd..<file.count)
        for at in objects {
            // "N G obj": the object number before the generation.
            guard let end = Bytes.first(Array(ascii: "endobj"), in: file, range: at..<file.count) else {
                changes.append("một đối tượng không đóng")
                continue
            }
            let body = Array(file[at..<end])
            let number = objectNumber(before: at, in: file)
            let label = number.map { "đối tượng \($0)" } ?? "một đối tượng"
            if has(body, "/Type /Sig") || has(body, "/Type/Sig") || has(body, "/FT /Sig") || has(body, "/FT/Sig")
                || has(body, "/Type /Catalog") || has(body, "/Type/Catalog") || has(body, "/Type /XRef") || has(body, "/Type/XRef")
            {
                continue
            }
            if has(body, "/Type /Page") && !has(body, "/Type /Pages") || has(body, "/Type/Page") && !has(body, "/Type/Pages") {
                // A page may gain a signature widget in its /Annots; its content must stay the same.
                if let number, contentsReference(in: body) == previousContents(of: number, in: file, before: signedEnd) { continue }
                changes.append("\(label) (trang, nội dung thay đổi)")
                continue
            }
            changes.append(has(body, "stream") ? "\(label) (nội dung mới)" : label)
        }
        return changes
    }

    static func has(_ body: [UInt8], _ text: String) -> Bool { Bytes.first(Array(ascii: text), in: body, range: 0..<body.count) != nil }

    static func objectNumber(before at: Int, in file: [UInt8]) -> Int? {
        // "12 0 obj": skip the generation, then read the number.
        var index = at - 1
        while index >= 0, file[index] != 0x20 { index -= 1 }  // generation digits
        var end = index
        index -= 1
        while index >= 0, (0x30...0x39).contains(file[index]) { index -= 1 }
        guard end > index + 1 else { return nil }
        end = min(end, file.count)
        return Int(String(decoding: file[index + 1..<end], as: UTF8.self))
    }

    static func contentsReference(in body: [UInt8]) -> [UInt8]? {
        guard let at = Bytes.first(Array(ascii: "/Contents"), in: body, range: 0..<body.count) else { return nil }
        var end = at + 9
        while end < body.count, body[end] != UInt8(ascii: "/"), body[end] != UInt8(ascii: ">") { end += 1 }
        return Array(body[at + 9..<end]).filter { !Bytes.isWhitespace($0) }
    }

    static func previousContents(of number: Int, in file: [UInt8], before end: Int) -> [UInt8]? {
        var last: [UInt8]?
        for at in Bytes.indices(of: Array(ascii: "\n\(number) 0 obj"), in: file, range: 0..<end) {
            guard let close = Bytes.first(Array(ascii: "endobj"), in: file, range: at..<end) else { continue }
            last = contentsReference(in: Array(file[at..<close]))
        }
        return last
    }
}
