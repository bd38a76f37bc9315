import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// Pages: a mustache template inside the common layout (header with the menu, footer), as HTML with
/// the headers every page carries.
struct Renderer: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Renderer {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else { throw Missing() }
        return Renderer(library: try await MustacheLibrary(directory: directory.path))
    }

    struct Missing: Error {}

    enum Section: String { case incoming, outgoing, tasks, dossiers, files, urgent, calendar, notices, search, directory, admin, profile, none }

    func page(
        _ template: String, title: String, session: WebSession, section: Section = .none, status: HTTPResponse.Status = .ok,
        _ data: [String: Any] = [:]
    ) -> Response {
        var context = data
        context["title"] = title
        context["csrf"] = session.csrf
        if let user = session.user, !user.mustChangePassword {
            context["user"] = ["name": user.name, "unit": user.unit?.name ?? ""]
            context["urgent"] = session.urgent.map { ["id": $0.id.uuidString.lowercased(), "text": $0.text, "sender": $0.senderName] }
            var menu: [[String: Any]] = [
                ["href": "/van-ban-den", "label": "Văn bản đến", "active": section == .incoming],
                ["href": "/van-ban-di", "label": "Văn bản đi", "active": section == .outgoing],
                ["href": "/cong-viec", "label": "Công việc", "active": section == .tasks],
                ["href": "/ho-so", "label": "Hồ sơ", "active": section == .dossiers],
                ["href": "/tai-lieu", "label": "Tài liệu", "active": section == .files],
                ["href": "/lich-cong-tac", "label": "Lịch công tác", "active": section == .calendar],
                ["href": "/thong-bao", "label": "Thông báo", "active": section == .notices, "badge": true],
                ["href": "/tra-cuu", "label": "Tra cứu", "active": section == .search],
                ["href": "/danh-ba", "label": "Danh bạ", "active": section == .directory],
            ]
            if user.permissions.contains("news.publish") {
                menu.append(["href": "/thong-bao-khan", "label": "Thông báo khẩn", "active": section == .urgent])
            }
            if user.has("admin") { menu.append(["href": "/quan-tri/nguoi-dung", "label": "Quản trị", "active": section == .admin]) }
            context["menu"] = menu
        }
        let html = library.render(Self.withoutEmptyText(context), withTemplate: template) ?? "<!doctype html><title>Lỗi</title><p>Không hiển thị được trang.</p>"
        var response = Response(status: status, headers: Self.headers, body: .init(byteBuffer: ByteBuffer(string: html)))
        Self.setCSRF(session, on: &response)
        return response
    }

    /// Mustache sections show for any string, even an empty one: empty strings are dropped so that
    /// `{{#notice}}…{{/notice}}` means "when there is a notice".
    static func withoutEmptyText(_ value: [String: Any]) -> [String: Any] {
        var result: [String: Any] = [:]
        for (key, item) in value {
            switch item {
            case let text as String where text.isEmpty: continue
            case let nested as [String: Any]: result[key] = withoutEmptyText(nested)
            case let list as [[String: Any]]: result[key] = list.map(withoutEmptyText)
            default: result[key] = item
            }
        }
        return result
    }

    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
        .cacheControl: "no-store",
    ]

    static func setCSRF(_ session: WebSession, on response: inout Response, secure: Bool = true) {
        if session.csrfIsNew {
            response.setCookie(WebSession.cookie(WebSession.csrfCookie, session.csrf, secure: secure))
        }
    }

    static func redirect(_ location: String, session: WebSession? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        if let session { setCSRF(session, on: &response) }
        return response
    }
}
