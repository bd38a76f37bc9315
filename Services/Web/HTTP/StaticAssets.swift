import Foundation
import Hummingbird

/// `/static/<file>`: the stylesheet and the little JavaScript, from the bundle, cached for a day.
struct StaticAssets: RouterMiddleware {
    typealias Context = WebRequestContext

    static let files: [String: (type: String, body: ByteBuffer)] = {
        var files: [String: (String, ByteBuffer)] = [:]
        for (name, type) in [("app.css", "text/css; charset=utf-8"), ("app.js", "text/javascript; charset=utf-8")] {
            if let url = Bundle.module.url(forResource: "Public/\(name)", withExtension: nil), let data = try? Data(contentsOf: url) {
                files[name] = (type, ByteBuffer(bytes: data))
            }
        }
        return files
    }()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/static/"), let file = Self.files[String(path.dropFirst("/static/".count))] else {
            return try await next(request, context)
        }
        return Response(status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=86400"], body: .init(byteBuffer: file.body))
    }
}
