import Foundation
import Hummingbird
import ServiceKit

/// A submitted form, URL-encoded or multipart: text fields (several values per name kept) and files.
struct WebForm: Sendable {
    var fields: [String: [String]] = [:]
    var files: [File] = []

    struct File: Sendable {
        var field: String
        var name: String
        var contentType: String
        var bytes: [UInt8]
    }

    subscript(name: String) -> String? {
        fields[name]?.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    func all(_ name: String) -> [String] { fields[name] ?? [] }

    /// Non-empty uploads of `field`.
    func files(_ field: String) -> [File] { files.filter { $0.field == field && !$0.bytes.isEmpty } }

    /// Refuses (as a CSRF failure) a request that is not from our own pages, or has no CSRF cookie, before
    /// reading its body: a forged cross-site post never makes us take in megabytes.
    static func read(_ request: Request, limit: Int = 64 << 20) async throws -> WebForm {
        guard SameOrigin.allows(request), request.cookies[WebSession.csrfCookie] != nil else { throw PageError.csrf }
        let body = Array(try await request.body.collect(upTo: limit).readableBytesView)
        let type = request.headers[.contentType] ?? ""
        var form = WebForm()
        if let multipart = MultipartForm(contentType: type, body: body) {
            for part in multipart.parts {
                if let filename = part.filename {
                    form.files.append(File(field: part.name, name: filename, contentType: part.contentType ?? "application/octet-stream", bytes: part.body))
                } else {
                    form.fields[part.name, default: []].append(part.text)
                }
            }
            return form
        }
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in (text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "") }
            guard let key = kv.first.map(decode), !key.isEmpty else { continue }
            form.fields[key, default: []].append(kv.count > 1 ? decode(kv[1]) : "")
        }
        return form
    }

    /// What the form keeps when it is shown again after a refusal.
    var values: [String: String] { fields.compactMapValues { $0.first } }
}
