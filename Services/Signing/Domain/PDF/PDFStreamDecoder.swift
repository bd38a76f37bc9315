import CZlib

/// Decodes the streams the structure needs (cross-reference and object streams): FlateDecode with the
/// PNG predictors writers use for them (ISO 32000-1 §7.4.4). Page content is never decoded: it is
/// compared as the file holds it.
enum PDFStreamDecoder {
    static func decode(_ stream: PDFStream, budget: PDFBudget) throws -> [UInt8] {
        let filters: [String]
        switch stream.dictionary["Filter"] {
        case nil: filters = []
        case .name(let name): filters = [name]
        case .array(let names): filters = names.compactMap(\.name)
        default: throw PDFSyntaxError.malformed("/Filter không hợp lệ")
        }
        guard filters.allSatisfy({ $0 == "FlateDecode" }), filters.count <= 1 else {
            throw PDFSyntaxError.malformed("bộ lọc chưa hỗ trợ cho luồng cấu trúc: \(filters.joined(separator: ", "))")
        }
        var data = Array(stream.data)
        if !filters.isEmpty { data = try inflate(data, budget: budget) }
        let parameters = stream.dictionary["DecodeParms"]?.dictionary ?? stream.dictionary["DecodeParms"]?.array?.first?.dictionary
        if let predictor = parameters?["Predictor"]?.integer, predictor >= 10 {
            let columns = parameters?["Columns"]?.integer ?? 1
            guard (1...4096).contains(columns), (parameters?["Colors"]?.integer ?? 1) == 1, (parameters?["BitsPerComponent"]?.integer ?? 8) == 8
            else { throw PDFSyntaxError.malformed("tham số giải mã PNG chưa hỗ trợ") }
            data = try unpredictPNG(data, columns: columns)
        } else if let predictor = parameters?["Predictor"]?.integer, predictor > 1 {
            throw PDFSyntaxError.malformed("bộ dự đoán TIFF chưa hỗ trợ")
        }
        return data
    }

    static func inflate(_ data: [UInt8], budget: PDFBudget) throws -> [UInt8] {
        let limit = budget.inflateLimit
        guard limit > 0 else { throw PDFSyntaxError.tooComplex("dữ liệu giải nén quá lớn") }
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = data.withUnsafeBufferPointer { input in
            ioffice_inflate(input.baseAddress, input.count, limit, &output, &length)
        }
        defer { ioffice_inflate_free(output) }
        switch Int32(status) {
        case Int32(IOFFICE_INFLATE_OK): break
        case Int32(IOFFICE_INFLATE_TOO_LARGE): throw PDFSyntaxError.tooComplex("dữ liệu giải nén quá lớn")
        case Int32(IOFFICE_INFLATE_NO_MEMORY): throw PDFSyntaxError.tooComplex("không đủ bộ nhớ để giải nén")
        default: throw PDFSyntaxError.malformed("dữ liệu nén FlateDecode hỏng")
        }
        try budget.inflatedBytes(length)
        return output.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
    }

    /// Rows of `columns` bytes, each after its PNG filter type byte (None, Sub, Up, Average, Paeth).
    static func unpredictPNG(_ data: [UInt8], columns: Int) throws -> [UInt8] {
        let stride = columns + 1
        guard data.count % stride == 0 else { throw PDFSyntaxError.malformed("dữ liệu dự đoán PNG không đủ hàng") }
        var out = [UInt8]()
        out.reserveCapacity(data.count / stride * columns)
        var previous = [UInt8](repeating: 0, count: columns)
        var row = [UInt8](repeating: 0, count: columns)
        for start in Swift.stride(from: 0, to: data.count, by: stride) {
            let type = data[start]
            for index in 0..<columns {
                let raw = data[start + 1 + index]
                let left = index > 0 ? row[index - 1] : 0
                let up = previous[index]
                let upLeft = index > 0 ? previous[index - 1] : 0
                switch type {
                case 0: row[index] = raw
                case 1: row[index] = raw &+ left
                case 2: row[index] = raw &+ up
                case 3: row[index] = raw &+ UInt8((Int(left) + Int(up)) / 2)
                case 4: row[index] = raw &+ paeth(left, up, upLeft)
                default: throw PDFSyntaxError.malformed("kiểu lọc PNG không hợp lệ")
                }
            }
            out.append(contentsOf: row)
            swap(&previous, &row)
        }
        return out
    }

    static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a))
        let pb = abs(p - Int(b))
        let pc = abs(p - Int(c))
        return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
    }
}
