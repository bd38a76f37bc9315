import Foundation

/// `multipart/form-data` (RFC 7578) parts by name: just what `POST /api/v1/verify` needs, with limits.
enum Multipart {
    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(value.count) ? value : nil
            }
        }
        return nil
    }

    /// The parts' bodies by their `name`; nil when the body is not well-formed multipart.
    static func parts(_ body: [UInt8], boundary: String) -> [String: [UInt8]]? {
        let delimiter = Array("--\(boundary)".utf8)
        let starts = Bytes.indices(of: delimiter, in: body)
        guard starts.count >= 2 else { return nil }
        var parts: [String: [UInt8]] = [:]
        for (start, end) in zip(starts, starts.dropFirst()) {
            var headerStart = start + delimiter.count
            guard headerStart + 2 <= end, body[headerStart] == 13, body[headerStart + 1] == 10 else { return nil }
            headerStart += 2
            guard let headerEnd = Bytes.first(Array("\r\n\r\n".utf8), in: body, range: headerStart..<end) else { return nil }
            let headers = String(decoding: body[headerStart..<headerEnd], as: UTF8.self)
            guard let name = name(in: headers) else { continue }
            let contentEnd = end - 2  // the CRLF before the next delimiter
            guard contentEnd >= headerEnd + 4 else { return nil }
            parts[name] = Array(body[headerEnd + 4..<contentEnd])
        }
        return parts
    }

    static func name(in headers: String) -> String? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            for parameter in line.split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "name" { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            }
        }
        return nil
    }
}
