import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import ServiceKit
import ServiceLifecycle

/// Thông báo (the inbox, live), nhắn tin SMS with its counter, thông tin điều hành, tin nội bộ and
/// trao đổi trực tuyến, over Notify's API.
struct NotifyPages {
    let app: WebApp

    struct Inbox: Decodable { var items: [Message]; var total: Int; var unread: Int }
    struct Message: Decodable { var id: UUID; var title: String; var body: String; var link: String?; var createdAt: Date; var read: Bool }
    struct Sms: Decodable { var recipientName: String?; var to: String?; var text: String; var stateName: String; var createdAt: Date }
    struct Post: Decodable { var id: UUID; var title: String; var body: String; var authorName: String; var updatedAt: Date; var edits: Int }
    struct NoticeSummary: Decodable { var id: UUID; var title: String; var senderName: String; var createdAt: Date; var read: Bool?; var readCount: Int?; var recipientCount: Int? }
    struct Notice: Decodable {
        var id: UUID; var title: String; var body: String; var senderName: String; var createdAt: Date
        var replies: [Reply]; var recipients: [Recipient]?
        struct Reply: Decodable { var userName: String; var body: String; var createdAt: Date }
        struct Recipient: Decodable { var name: String; var readAt: Date? }
    }
    struct Conversation: Decodable { var id: UUID; var title: String?; var members: [Member]; var unread: Int; struct Member: Decodable { var userId: UUID; var name: String } }
    struct ChatMessage: Decodable { var id: UUID; var senderId: UUID; var senderName: String; var text: String; var file: String?; var createdAt: Date }

    func add(to router: Router<WebApp.Context>) {
        router.get("thong-bao") { request, _ -> Response in
            await app.page(request) { session in
                let inbox = try await app.backend.get(.notify, "/api/v1/messages?perPage=100", token: session.token, as: Inbox.self)
                return app.renderer.page(
                    "inbox", title: "Thông báo", session: session, section: .notices,
                    [
                        "unread": inbox.unread, "empty": inbox.items.isEmpty,
                        "items": inbox.items.map {
                            ["id": $0.id.uuidString.lowercased(), "title": $0.title, "body": $0.body, "link": $0.link ?? "", "at": Labels.dateTime($0.createdAt), "unread": !$0.read]
                        },
                    ])
            }
        }
        router.post("thong-bao/da-doc") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 14)
                try session.checkCSRF(form)
                if let id = form["id"].flatMap(UUID.init(uuidString:)) {
                    _ = try await app.backend.call(.POST, .notify, "/api/v1/messages/\(id)/read", token: session.token)
                } else {
                    _ = try await app.backend.call(.POST, .notify, "/api/v1/messages/read-all", token: session.token)
                }
                return Renderer.redirect(LocalRedirect.path(form["link"]) ?? "/thong-bao", session: session)
            }
        }
        // The inbox's live events, passed through from Notify with the user's token.
        router.get("thong-bao/su-kien") { request, _ -> Response in
            let session = await app.verifiedSession(request)
            guard let token = session.token else { return Response(status: .unauthorized) }
            var upstream = HTTPClientRequest(url: app.settings.notifyURL + "/api/v1/messages/stream")
            upstream.headers.add(name: "Authorization", value: "Bearer \(token)")
            guard let response = try? await app.streams.execute(upstream, timeout: .hours(12)), response.status == .ok else {
                return Response(status: .serviceUnavailable)
            }
            // A graceful shutdown ends the stream (the browser reconnects to the next server), so the
            // server is not held open by pages that stay open.
            let upstreamBody = response.body
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                body: ResponseBody { writer in
                    let (chunks, feed) = AsyncStream<ByteBuffer>.makeStream()
                    let reader = Task {
                        do { for try await chunk in upstreamBody { feed.yield(chunk) } } catch {}
                        feed.finish()
                    }
                    try await withGracefulShutdownHandler {
                        for await chunk in chunks { try await writer.write(chunk) }
                    } onGracefulShutdown: {
                        feed.finish()
                    }
                    reader.cancel()
                    try await writer.finish(nil)
                })
        }
        router.get("tin-nhan-sms") { request, _ -> Response in
            await app.page(request) { session in try await smsPage(session, values: [:], notice: request.query("thongbao")) }
        }
        router.post("tin-nhan-sms") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                struct Send: Encodable { var recipients: [String]; var text: String }
                let recipients = form.all("recipient").compactMap { $0.split(separator: ":").last.map(String.init) }
                do {
                    _ = try await app.backend.post(.notify, "/api/v1/sms", token: session.token, Send(recipients: recipients, text: form.fields["text"]?.first ?? ""), as: Backend.Empty.self)
                    return Renderer.redirect("/tin-nhan-sms?thongbao=da-gui", session: session)
                } catch let problem as BackendProblem where [400, 403, 422, 429].contains(problem.status) {
                    return try await smsPage(session, values: form.values, problem: problem)
                }
            }
        }
        router.get("tin-noi-bo") { request, _ -> Response in
            await app.page(request) { session in try await newsPage(session, values: [:]) }
        }
        router.post("tin-noi-bo") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 18)
                try session.checkCSRF(form)
                do {
                    _ = try await app.backend.post(.notify, "/api/v1/news", token: session.token, ["title": form["title"] ?? "", "body": form["body"] ?? ""], as: Backend.Empty.self)
                    return Renderer.redirect("/tin-noi-bo", session: session)
                } catch let problem as BackendProblem where [400, 403, 422].contains(problem.status) {
                    return try await newsPage(session, values: form.values, problem: problem)
                }
            }
        }
        router.get("thong-tin-dieu-hanh") { request, _ -> Response in
            await app.page(request) { session in try await noticesPage(session, values: [:]) }
        }
        router.post("thong-tin-dieu-hanh") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                struct New: Encodable { var title: String; var body: String; var recipients: [[String: String]]; var files: [WebFile] }
                let recipients = form.all("recipient").compactMap { value -> [String: String]? in
                    let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
                    return parts.count == 2 ? [parts[0] == "unit" ? "unitId" : "userId": parts[1]] : nil
                }
                do {
                    struct Created: Decodable { var id: UUID }
                    let created = try await app.backend.post(
                        .notify, "/api/v1/notices", token: session.token,
                        New(title: form["title"] ?? "", body: form["body"] ?? "", recipients: recipients, files: form.files("files").map(WebFile.init)), as: Created.self)
                    return Renderer.redirect("/thong-tin-dieu-hanh/\(created.id.uuidString.lowercased())", session: session)
                } catch let problem as BackendProblem where [400, 403, 422].contains(problem.status) {
                    return try await noticesPage(session, values: form.values, problem: problem)
                }
            }
        }
        router.get("thong-tin-dieu-hanh/:id") { request, context -> Response in
            await app.page(request) { session in try await noticePage(try IncomingPages.id(context), session: session) }
        }
        router.post("thong-tin-dieu-hanh/:id/tra-loi") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                do {
                    _ = try await app.backend.post(.notify, "/api/v1/notices/\(id)/replies", token: session.token, ["body": form["body"] ?? ""], as: Backend.Empty.self)
                    return Renderer.redirect("/thong-tin-dieu-hanh/\(id.uuidString.lowercased())", session: session)
                } catch let problem as BackendProblem where [400, 422].contains(problem.status) {
                    return try await noticePage(id, session: session, error: problem.summary)
                }
            }
        }
        router.get("trao-doi") { request, _ -> Response in
            await app.page(request) { session in
                let list = try await app.backend.get(.notify, "/api/v1/conversations", token: session.token, as: Listing<Conversation>.self)
                let me = session.user?.sub
                return app.renderer.page(
                    "chats", title: "Trao đổi trực tuyến", session: session, section: .notices,
                    [
                        "people": try await Directory.choices(app, session).filter { ($0["value"] as? String)?.hasPrefix("user:") == true },
                        "conversations": list.items.map { c -> [String: Any] in
                            let others = c.members.filter { $0.userId.uuidString.lowercased() != me }.map(\.name).joined(separator: ", ")
                            return ["href": "/trao-doi/\(c.id.uuidString.lowercased())", "name": c.title ?? others, "unread": c.unread > 0 ? "\(c.unread)" : ""]
                        },
                    ])
            }
        }
        router.post("trao-doi") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 14)
                try session.checkCSRF(form)
                struct Open: Encodable { var members: [String]; var title: String? }
                struct Opened: Decodable { var id: UUID }
                let opened = try await app.backend.post(
                    .notify, "/api/v1/conversations", token: session.token,
                    Open(members: form.all("member").compactMap { $0.split(separator: ":").last.map(String.init) }, title: form["title"]), as: Opened.self)
                return Renderer.redirect("/trao-doi/\(opened.id.uuidString.lowercased())", session: session)
            }
        }
        router.get("trao-doi/:id") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let messages = try await app.backend.get(.notify, "/api/v1/conversations/\(id)/messages?limit=100", token: session.token, as: Listing<ChatMessage>.self)
                return app.renderer.page(
                    "chat", title: "Trao đổi trực tuyến", session: session, section: .notices,
                    [
                        "base": "/trao-doi/\(id.uuidString.lowercased())", "conversation": id.uuidString.lowercased(),
                        "messages": messages.items.reversed().map {
                            ["who": $0.senderName, "text": $0.text, "file": $0.file ?? "", "at": Labels.dateTime($0.createdAt),
                             "mine": $0.senderId.uuidString.lowercased() == session.user?.sub]
                        },
                    ])
            }
        }
        router.post("trao-doi/:id") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                struct Send: Encodable { var text: String; var file: WebFile? }
                _ = try await app.backend.post(
                    .notify, "/api/v1/conversations/\(id)/messages", token: session.token,
                    Send(text: form["text"] ?? "", file: form.files("file").first.map(WebFile.init)), as: Backend.Empty.self)
                return Renderer.redirect("/trao-doi/\(id.uuidString.lowercased())", session: session)
            }
        }
    }

    func smsPage(_ session: WebSession, values: [String: String], notice: String? = nil, problem: BackendProblem? = nil) async throws -> Response {
        let history = try await app.backend.get(.notify, "/api/v1/sms?perPage=50", token: session.token, as: Listing<Sms>.self)
        return app.renderer.page(
            "sms", title: "Nhắn tin SMS", session: session, section: .notices, status: problem == nil ? .ok : .unprocessableContent,
            [
                "canSend": session.user?.permissions.contains("sms.send") == true,
                "people": try await Directory.choices(app, session).filter { ($0["value"] as? String)?.hasPrefix("user:") == true },
                "history": history.items.map { ["to": $0.recipientName ?? $0.to ?? "", "text": $0.text, "state": $0.stateName, "at": Labels.dateTime($0.createdAt)] },
                "values": values, "error": problem?.summary ?? "", "notice": notice == "da-gui" ? "Đã gửi tin nhắn." : "",
            ])
    }

    func newsPage(_ session: WebSession, values: [String: String], problem: BackendProblem? = nil) async throws -> Response {
        let news = try await app.backend.get(.notify, "/api/v1/news", token: session.token, as: Listing<Post>.self)
        return app.renderer.page(
            "news", title: "Tin nội bộ", session: session, section: .notices, status: problem == nil ? .ok : .unprocessableContent,
            [
                "posts": news.items.map { ["title": $0.title, "body": $0.body, "author": $0.authorName, "at": Labels.dateTime($0.updatedAt), "edited": $0.edits > 0] },
                "values": values, "error": problem?.summary ?? "",
            ])
    }

    func noticesPage(_ session: WebSession, values: [String: String], problem: BackendProblem? = nil) async throws -> Response {
        let received = try await app.backend.get(.notify, "/api/v1/notices", token: session.token, as: Listing<NoticeSummary>.self)
        let sent = try await app.backend.get(.notify, "/api/v1/notices?box=sent", token: session.token, as: Listing<NoticeSummary>.self)
        let row = { (n: NoticeSummary) -> [String: Any] in
            ["href": "/thong-tin-dieu-hanh/\(n.id.uuidString.lowercased())", "title": n.title, "from": n.senderName, "at": Labels.dateTime(n.createdAt),
             "unread": n.read == false, "reads": n.readCount.map { "\($0)/\(n.recipientCount ?? 0) đã xem" } ?? ""]
        }
        return app.renderer.page(
            "notices", title: "Thông tin điều hành", session: session, section: .notices, status: problem == nil ? .ok : .unprocessableContent,
            [
                "canSend": session.user?.isLeader == true, "received": received.items.map(row), "sent": sent.items.map(row),
                "people": session.user?.isLeader == true ? try await Directory.choices(app, session) : [], "values": values, "error": problem?.summary ?? "",
            ])
    }

    func noticePage(_ id: UUID, session: WebSession, error: String? = nil) async throws -> Response {
        let notice = try await app.backend.get(.notify, "/api/v1/notices/\(id)", token: session.token, as: Notice.self)
        return app.renderer.page(
            "notice", title: notice.title, session: session, section: .notices,
            [
                "base": "/thong-tin-dieu-hanh/\(id.uuidString.lowercased())", "title": notice.title, "body": notice.body, "from": notice.senderName,
                "at": Labels.dateTime(notice.createdAt),
                "replies": notice.replies.map { ["who": $0.userName, "body": $0.body, "at": Labels.dateTime($0.createdAt)] },
                "isSender": notice.recipients != nil,
                "recipients": (notice.recipients ?? []).map { ["name": $0.name, "read": $0.readAt.map { "Đã xem \(Labels.dateTime($0))" } ?? "Chưa xem"] },
                "error": error ?? "",
            ])
    }
}
