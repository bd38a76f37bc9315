import Foundation
import HTTPTypes
import Hummingbird

extension Response {
    /// A stored file as the browser should get it: shown in place (`inline`, a PDF opens in the browser)
    /// only when InlineFilePolicy allows its type and content, else saved (`attachment`, as
    /// `application/octet-stream`); its name in UTF-8 (RFC 5987); and headers that let nothing in it run.
    public static func file(named name: String, type: String, data: ByteBuffer, inline: Bool = true) -> Response {
        let decision = InlineFilePolicy.decide(declaredType: type, head: data.readableBytesView, wantInline: inline)
        return Response(status: .ok, headers: fileHeaders(named: name, decision), body: .init(byteBuffer: data))
    }

    /// The headers of a file served as `decision` says.
    public static func fileHeaders(named name: String, _ decision: InlineFilePolicy.Decision) -> HTTPFields {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        var headers: HTTPFields = [
            .contentType: decision.contentType,
            .contentDisposition: "\(decision.inline ? "inline" : "attachment"); filename*=UTF-8''\(encoded)",
        ]
        for (name, value) in InlineFilePolicy.lockdownHeaders {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return headers
    }
}
