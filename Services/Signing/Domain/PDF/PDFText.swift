/// A PDF text string (ISO 32000-1 §7.9.2.2) as Swift text: UTF-16BE after its byte order mark, UTF-8
/// after its mark (PDF 2.0), otherwise PDFDocEncoding, read here as Latin-1 (they differ only in a few
/// typographic marks, which field names do not use).
enum PDFText {
    static func decode(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0xfe, 0xff]) {
            let units = stride(from: 2, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return String(decoding: units, as: UTF16.self)
        }
        if bytes.starts(with: [0xef, 0xbb, 0xbf]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }
}
