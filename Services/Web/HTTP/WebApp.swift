import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

/// What every page handler has: the services, the templates, the settings; and `page`, which turns
/// a session problem into the right redirect and a service's refusal into a Vietnamese message.
struct WebApp: Sendable {
    let backend: Backend
    /// For the live event streams only.
    let streams: HTTPClient
    let renderer: Renderer
    let settings: WebSettings
    let logger: Logger
    /// Checks the token's signature and expiry with Documents' public keys; claims are never believed unchecked.
    let verifier: TokenVerifier

    typealias Context = WebRequestContext

    /// The browser's address: the socket's peer, or behind a trusted proxy the last address it forwarded.
    func clientAddress(_ request: Request, _ context: Context) -> String? {
        settings.trustedProxies.clientAddress(peer: context.clientAddress, headers: request.headers)
    }

    /// The browser's session, with its token and user only if the token's signature checks out.
    func verifiedSession(_ request: Request) async -> WebSession {
        var session = WebSession(request)
        if let token = session.token, (try? await verifier.verify(token)) == nil {
            session.token = nil
            session.user = nil
        }
        return session
    }

    /// Runs `body` for a logged-in user (a fresh token when the old one is near its end).
    func page(_ request: Request, allowPasswordChange: Bool = false, _ body: (WebSession) async throws -> Response) async -> Response {
        var session = await verifiedSession(request)
        var refreshed: String?
        do {
            guard let user = session.user, let token = session.token else { throw PageError.login }
            if user.mustChangePassword, !allowPasswordChange { throw PageError.mustChangePassword }
            if !user.mustChangePassword, user.expiresAt.timeIntervalSinceNow < 180 {
                struct Tokens: Decodable { var token: String }
                if let fresh = try? await backend.post(.documents, "/api/v1/auth/refresh", token: token, [String: String](), as: Tokens.self) {
                    session.token = fresh.token
                    session.user = WebSession.claims(of: fresh.token)
                    refreshed = fresh.token
                }
            }
            // Every page shows the urgent notices not yet acknowledged; Notify away means none shown, not an error.
            session.urgent = (try? await backend.get(.notify, "/api/v1/urgent", token: session.token, as: [WebSession.Urgent].self)) ?? []
            var response = try await body(session)
            if let refreshed { response.setCookie(WebSession.cookie(WebSession.tokenCookie, refreshed, secure: settings.secureCookies)) }
            return response
        } catch {
            return problemPage(error, request: request, session: session)
        }
    }

    func problemPage(_ error: any Error, request: Request, session: WebSession) -> Response {
        switch error {
        case PageError.login:
            let next = request.uri.path == "/" ? "" : "?tiep=" + (request.uri.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "")
            return Renderer.redirect("/dang-nhap" + next, session: session)
        case PageError.mustChangePassword:
            return Renderer.redirect("/doi-mat-khau", session: session)
        case PageError.csrf:
            return renderer.page(
                "error", title: "Phiên làm việc đã hết hạn", session: session, status: .forbidden,
                ["message": "Biểu mẫu đã cũ hoặc không hợp lệ. Vui lòng tải lại trang và thử lại."])
        case PageError.notFound:
            return renderer.page("error", title: "Không tìm thấy", session: session, status: .notFound, ["message": "Không tìm thấy trang yêu cầu."])
        case let problem as BackendProblem:
            if problem.status == 401 {
                var response = Renderer.redirect("/dang-nhap", session: session)
                response.setCookie(WebSession.cookie(WebSession.tokenCookie, "", secure: settings.secureCookies, maxAge: 0))
                return response
            }
            let title = problem.status == 403 ? "Không có quyền" : problem.status == 404 ? "Không tìm thấy" : problem.title
            return renderer.page(
                "error", title: title, session: session, status: HTTPResponse.Status(code: problem.status == 503 ? 503 : problem.status),
                ["message": problem.summary])
        default:
            logger.error("page failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return renderer.page(
                "error", title: "Đã có lỗi", session: session, status: .internalServerError,
                ["message": "Không thực hiện được yêu cầu. Vui lòng thử lại."])
        }
    }

    /// A file from a service. This origin is the one a file's script would act in, so the policy is
    /// applied here again to the bytes themselves: a PDF or a plain image opens in the browser, anything
    /// else (HTML, SVG, a PDF that is not one) is downloaded, and nothing in it may run.
    func file(_ service: Backend.Service, _ path: String, session: WebSession) async throws -> Response {
        let answer = try await backend.call(.GET, service, path, token: session.token)
        guard answer.status == 200 else { throw BackendProblem(answer) }
        let decision = InlineFilePolicy.decide(declaredType: answer.contentType, head: answer.body)
        let name = answer.contentDisposition.flatMap(Self.fileName(inDisposition:)) ?? "tep"
        return Response(status: .ok, headers: Response.fileHeaders(named: name, decision), body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// The name in `filename*=UTF-8''…` of a Content-Disposition.
    static func fileName(inDisposition disposition: String) -> String? {
        guard let range = disposition.range(of: "filename*=UTF-8''") else { return nil }
        let encoded = disposition[range.upperBound...].prefix { $0 != ";" }
        return String(encoded).removingPercentEncoding
    }
}

extension Request {
    /// A query parameter as a browser's form sends it (`+` for a space), trimmed; nil when absent or empty.
    func query(_ name: String) -> String? {
        for pair in (uri.query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, kv[0] == name else { continue }
            let value = (kv[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "").trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        return nil
    }
}

extension String {
    /// For a query string.
    var urlQueryEncoded: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
}
