import Foundation
import Hummingbird

extension Response {
    /// A stored file as the browser should get it: its type, and its name (UTF-8, RFC 5987) to show
    /// it in place (`inline`, a PDF opens in the browser) or save it (`attachment`).
    public static func file(named name: String, type: String, data: ByteBuffer, inline: Bool = true) -> Response {
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: "\(inline ? "inline" : "attachment"); filename*=UTF-8''\(encoded)"],
            body: .init(byteBuffer: data))
    }
}
