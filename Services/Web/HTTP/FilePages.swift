import Foundation
import Hummingbird
import ServiceKit
import NIOHTTP1

/// Tài liệu: my files, those shared with me, those I deleted (restorable); adding, downloading, sharing,
/// deleting and restoring one.
struct FilePages {
    let app: WebApp

    static let views: [(slug: String, api: String, label: String)] = [
        ("cua-toi", "mine", "Tài liệu của tôi"), ("duoc-chia-se", "shared", "Được chia sẻ"), ("da-xoa", "deleted", "Đã xóa"),
    ]

    struct File: Decodable { var id: UUID; var name: String; var size: Int; var ownerName: String; var createdAt: Date; var deletedAt: Date? }

    func add(to router: Router<WebApp.Context>) {
        router.get("tai-lieu") { request, _ -> Response in
            await app.page(request) { session in try await listPage(request.query("xem"), session: session, notice: request.query("thongbao")) }
        }
        router.post("tai-lieu") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                guard let file = form.files("file").first else {
                    return try await listPage(nil, session: session, error: "Chọn tệp cần tải lên.")
                }
                let name = file.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "tep"
                let answer = try await app.backend.call(
                    .POST, .documents, "/api/v1/files?name=\(name)", token: session.token, body: file.bytes, contentType: file.contentType)
                guard (200..<300).contains(answer.status) else { return try await listPage(nil, session: session, error: BackendProblem(answer).summary) }
                return Renderer.redirect("/tai-lieu?thongbao=da-tai-len", session: session)
            }
        }
        router.get("tai-lieu/:id/tai-ve") { request, context -> Response in
            await app.page(request) { session in try await app.file(.documents, "/api/v1/files/\(try IncomingPages.id(context))", session: session) }
        }
        for (slug, action, method) in [("xoa", "", HTTPMethod.DELETE), ("khoi-phuc", "/restore", .POST)] {
            router.post("tai-lieu/:id/\(slug)") { request, context -> Response in
                await app.page(request) { session in
                    let id = try IncomingPages.id(context)
                    try session.checkCSRF(try await WebForm.read(request))
                    let answer = try await app.backend.call(method, .documents, "/api/v1/files/\(id)\(action)", token: session.token)
                    guard (200..<300).contains(answer.status) else { return try await listPage(nil, session: session, error: BackendProblem(answer).summary) }
                    return Renderer.redirect(slug == "xoa" ? "/tai-lieu?xem=da-xoa" : "/tai-lieu", session: session)
                }
            }
        }
        router.post("tai-lieu/:id/chia-se") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                struct Share: Encodable { var userIds: [UUID] }
                do {
                    _ = try await app.backend.post(
                        .documents, "/api/v1/files/\(id)/share", token: session.token, Share(userIds: form.all("userIds").compactMap(UUID.init(uuidString:))),
                        as: Backend.Empty.self)
                    return Renderer.redirect("/tai-lieu?thongbao=da-chia-se", session: session)
                } catch let problem as BackendProblem where [400, 403, 404, 422].contains(problem.status) {
                    return try await listPage(nil, session: session, error: problem.summary)
                }
            }
        }
    }

    func listPage(_ slug: String?, session: WebSession, notice: String? = nil, error: String? = nil) async throws -> Response {
        let view = Self.views.first { $0.slug == slug } ?? Self.views[0]
        let list = try await app.backend.get(.documents, "/api/v1/files?view=\(view.api)&perPage=100", token: session.token, as: Listing<File>.self)
        let notices = ["da-tai-len": "Đã tải lên.", "da-chia-se": "Đã chia sẻ."]
        return app.renderer.page(
            "files", title: view.label, session: session, section: .files, status: error == nil ? .ok : .unprocessableContent,
            [
                "tabs": Self.views.map { ["href": "/tai-lieu?xem=\($0.slug)", "label": $0.label, "active": $0.slug == view.slug] },
                "mine": view.api == "mine", "deleted": view.api == "deleted",
                "items": list.items.map { file -> [String: Any] in
                    let base = "/tai-lieu/\(file.id.uuidString.lowercased())"
                    return [
                        "name": file.name, "size": IncomingPages.size(file.size), "owner": file.ownerName, "at": Labels.dateTime(file.deletedAt ?? file.createdAt),
                        "download": base + "/tai-ve", "base": base, "id": file.id.uuidString.lowercased(),
                    ]
                },
                "empty": list.items.isEmpty, "people": view.api == "mine" ? try await Directory.people(app, session) : [],
                "error": error ?? "", "notice": notice.flatMap { notices[$0] } ?? "",
            ])
    }
}

/// Thông báo khẩn: the banner's "đã đọc", and the page where a holder of news.publish sends one and sees
/// who has read what they sent.
struct UrgentPages {
    let app: WebApp

    struct Sent: Decodable { var id: UUID; var text: String; var until: Date; var createdAt: Date; var acknowledgedBy: [UUID]? }

    func add(to router: Router<WebApp.Context>) {
        router.post("thong-bao-khan/:id/da-doc") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                try session.checkCSRF(try await WebForm.read(request))
                _ = try await app.backend.call(.POST, .notify, "/api/v1/urgent/\(id)/ack", token: session.token)
                // Back where the person was.
                let referer = request.headers[.referer].flatMap { URL(string: $0)?.path }
                let back = LocalRedirect.path(referer) ?? "/van-ban-den"
                return Renderer.redirect(back, session: session)
            }
        }
        router.get("thong-bao-khan") { request, _ -> Response in
            await app.page(request) { session in try await page(session, notice: request.query("thongbao")) }
        }
        router.post("thong-bao-khan") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                struct Input: Encodable { var text: String; var until: String }
                let hours = min(max(Int(form["hours"] ?? "") ?? 24, 1), 720)
                do {
                    _ = try await app.backend.post(
                        .notify, "/api/v1/urgent", token: session.token,
                        Input(text: form["text"] ?? "", until: Date().addingTimeInterval(TimeInterval(hours * 3600)).formatted(.iso8601)), as: Backend.Empty.self)
                    return Renderer.redirect("/thong-bao-khan?thongbao=da-gui", session: session)
                } catch let problem as BackendProblem where [400, 403, 422].contains(problem.status) {
                    return try await page(session, error: problem.summary)
                }
            }
        }
    }

    func page(_ session: WebSession, notice: String? = nil, error: String? = nil) async throws -> Response {
        let sent = try await app.backend.get(.notify, "/api/v1/urgent?view=sent", token: session.token, as: [Sent].self)
        return app.renderer.page(
            "urgent", title: "Thông báo khẩn", session: session, section: .urgent, status: error == nil ? .ok : .unprocessableContent,
            [
                "canSend": session.user?.permissions.contains("news.publish") == true,
                "sent": sent.map { ["text": $0.text, "at": Labels.dateTime($0.createdAt), "until": Labels.dateTime($0.until), "read": $0.acknowledgedBy?.count ?? 0] },
                "error": error ?? "", "notice": notice == "da-gui" ? "Đã gửi thông báo khẩn." : "",
            ])
    }
}
