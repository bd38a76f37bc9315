import Foundation

/// A `multipart/form-data` body (RFC 7578): its parts in order, each with its field name, and the
/// file name and type of an uploaded file. Shared by the Signing API and the web forms.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var body: [UInt8]

        /// The part as text (form fields are UTF-8).
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public var parts: [Part]

    /// nil when the content type is not multipart with a usable boundary, or the body is not well-formed.
    public init?(contentType: String, body: [UInt8]) {
        guard let boundary = Self.boundary(of: contentType) else { return nil }
        let data = Data(body)
        let delimiter = Data("--\(boundary)".utf8)
        var starts: [Int] = []
        var cursor = data.startIndex
        while let found = data.range(of: delimiter, in: cursor..<data.endIndex) {
            starts.append(found.lowerBound)
            cursor = found.upperBound
        }
        guard starts.count >= 2 else { return nil }
        var parts: [Part] = []
        for (start, end) in zip(starts, starts.dropFirst()) {
            var headerStart = start + delimiter.count
            guard headerStart + 2 <= end, data[headerStart] == 13, data[headerStart + 1] == 10 else { return nil }
            headerStart += 2
            guard let headerEnd = data.range(of: Data("\r\n\r\n".utf8), in: headerStart..<end)?.lowerBound else { return nil }
            let contentEnd = end - 2  // the CRLF before the next delimiter
            guard contentEnd >= headerEnd + 4 else { return nil }
            let headers = String(decoding: data[headerStart..<headerEnd], as: UTF8.self)
            guard let name = Self.parameter("name", in: headers) else { continue }
            parts.append(
                Part(
                    name: name, filename: Self.parameter("filename", in: headers), contentType: Self.header("content-type", in: headers),
                    body: Array(data[headerEnd + 4..<contentEnd])))
        }
        self.parts = parts
    }

    /// The first part named `name`.
    public subscript(name: String) -> Part? { parts.first { $0.name == name } }

    /// Every part named `name` (several files in one field).
    public func all(_ name: String) -> [Part] { parts.filter { $0.name == name } }

    static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(value.count) ? value : nil
            }
        }
        return nil
    }

    static func header(_ name: String, in headers: String) -> String? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix(name + ":") {
            return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// A parameter of the Content-Disposition header (`name`, `filename`).
    static func parameter(_ key: String, in headers: String) -> String? {
        guard let line = header("content-disposition", in: headers) else { return nil }
        for parameter in line.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == key { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }
}
