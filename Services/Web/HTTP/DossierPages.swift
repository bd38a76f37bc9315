import Foundation
import Hummingbird

/// Hồ sơ công việc: the trees the caller may read, making a dossier, one dossier with what it holds,
/// renaming, closing and sharing it; and filing a task into one from the task's page.
struct DossierPages {
    let app: WebApp

    struct Dossier: Decodable {
        var id: UUID
        var name: String
        var parentId: UUID?
        var unitId: UUID?
        var ownerName: String
        var closed: Bool
        var access: String
        var entries: Int
        var sharedUserIds: [UUID]?
        var children: [Dossier]?
    }

    struct Detail: Decodable {
        var dossier: Dossier
        var items: [Entry]
        struct Entry: Decodable { var id: UUID; var kind: String; var itemId: UUID; var title: String; var addedAt: Date }
    }

    struct New: Encodable { var name: String; var parentId: UUID?; var unitId: UUID? }
    struct Change: Encodable { var name: String; var parentId: UUID?; var closed: Bool }
    struct Share: Encodable { var userIds: [UUID] }

    func add(to router: Router<WebApp.Context>) {
        router.get("ho-so") { request, _ -> Response in
            await app.page(request) { session in try await listPage(session, notice: request.query("thongbao")) }
        }
        router.post("ho-so") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                do {
                    let unit = form["unit"] == "on" ? session.user?.unit?.id : nil
                    _ = try await app.backend.post(
                        .documents, "/api/v1/dossiers", token: session.token,
                        New(name: form["name"] ?? "", parentId: form["parentId"].flatMap(UUID.init(uuidString:)), unitId: unit), as: Backend.Empty.self)
                    return Renderer.redirect("/ho-so?thongbao=da-lap", session: session)
                } catch let problem as BackendProblem where [400, 403, 409, 422].contains(problem.status) {
                    return try await listPage(session, error: problem.summary, errors: problem.fields, values: form.values)
                }
            }
        }
        router.get("ho-so/:id") { request, context -> Response in
            await app.page(request) { session in try await detailPage(try IncomingPages.id(context), session: session, notice: request.query("thongbao")) }
        }
        router.post("ho-so/:id") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                do {
                    _ = try await app.backend.json(
                        .PUT, .documents, "/api/v1/dossiers/\(id)", token: session.token,
                        send: Change(name: form["name"] ?? "", parentId: form["parentId"].flatMap(UUID.init(uuidString:)), closed: form["closed"] == "on"),
                        as: Backend.Empty.self)
                    return Renderer.redirect("/ho-so/\(id.uuidString.lowercased())?thongbao=da-luu", session: session)
                } catch let problem as BackendProblem where [400, 403, 409, 422].contains(problem.status) {
                    return try await detailPage(id, session: session, error: problem.summary, errors: problem.fields)
                }
            }
        }
        router.post("ho-so/:id/chia-se") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                do {
                    _ = try await app.backend.post(
                        .documents, "/api/v1/dossiers/\(id)/share", token: session.token,
                        Share(userIds: form.all("userIds").compactMap(UUID.init(uuidString:))), as: Backend.Empty.self)
                    return Renderer.redirect("/ho-so/\(id.uuidString.lowercased())?thongbao=da-chia-se", session: session)
                } catch let problem as BackendProblem where [400, 403, 409, 422].contains(problem.status) {
                    return try await detailPage(id, session: session, error: problem.summary)
                }
            }
        }
        router.post("cong-viec/:id/luu-ho-so") { request, context -> Response in
            await app.page(request) { session in
                let task = try IncomingPages.id(context)
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                guard let dossier = form["dossierId"].flatMap(UUID.init(uuidString:)) else { throw PageError.notFound }
                do {
                    _ = try await app.backend.post(
                        .documents, "/api/v1/dossiers/\(dossier)/items", token: session.token, ["taskId": task.uuidString.lowercased()],
                        as: Backend.Empty.self)
                    return Renderer.redirect("/ho-so/\(dossier.uuidString.lowercased())?thongbao=da-luu-muc", session: session)
                } catch let problem as BackendProblem where [400, 403, 409, 422].contains(problem.status) {
                    return try await TaskPages(app: app).detailPage(task, session: session, error: problem.summary)
                }
            }
        }
    }

    /// The dossiers a person may file into, for a choice list.
    static func fileable(_ app: WebApp, _ session: WebSession) async throws -> [[String: Any]] {
        try await app.backend.get(.documents, "/api/v1/dossiers", token: session.token, as: [Dossier].self)
            .filter { $0.access != "read" && !$0.closed }
            .map { ["value": $0.id.uuidString.lowercased(), "label": $0.unitId == nil ? $0.name : "\($0.name) (đơn vị)"] }
    }

    func listPage(
        _ session: WebSession, notice: String? = nil, error: String? = nil, errors: [String: String] = [:], values: [String: String] = [:]
    ) async throws -> Response {
        let trees = try await app.backend.get(.documents, "/api/v1/dossiers?tree=true", token: session.token, as: [Dossier].self)
        let leads = session.user?.has("unitLeader") == true || session.user?.has("head") == true
        return app.renderer.page(
            "dossiers", title: "Hồ sơ công việc", session: session, section: .dossiers, status: error == nil ? .ok : .unprocessableContent,
            [
                "nodes": trees.map(Self.node), "empty": trees.isEmpty, "parents": try await Self.fileable(app, session), "leads": leads,
                "values": values, "error": error ?? "", "errors": errors, "notice": notice == "da-lap" ? "Đã lập hồ sơ." : "",
            ])
    }

    func detailPage(_ id: UUID, session: WebSession, notice: String? = nil, error: String? = nil, errors: [String: String] = [:]) async throws -> Response {
        let detail = try await app.backend.get(.documents, "/api/v1/dossiers/\(id)", token: session.token, as: Detail.self)
        let dossier = detail.dossier
        let shared = Set((dossier.sharedUserIds ?? []).map { $0.uuidString.lowercased() })
        let people = dossier.access == "manage" ? try await Directory.people(app, session).map { person -> [String: Any] in
            var option = person
            option["selected"] = shared.contains(person["value"] as? String ?? "")
            return option
        } : []
        let notices = ["da-luu": "Đã lưu.", "da-chia-se": "Đã chia sẻ.", "da-luu-muc": "Đã lưu vào hồ sơ."]
        return app.renderer.page(
            "dossier", title: dossier.name, session: session, section: .dossiers, status: error == nil ? .ok : .unprocessableContent,
            [
                "name": dossier.name, "owner": dossier.ownerName, "closed": dossier.closed, "unit": dossier.unitId != nil,
                "manage": dossier.access == "manage", "base": "/ho-so/\(id.uuidString.lowercased())",
                "parentId": dossier.parentId?.uuidString.lowercased() ?? "",
                "items": detail.items.map { entry -> [String: Any] in
                    let path = ["incoming": "/van-ban-den/", "outgoing": "/van-ban-di/", "task": "/cong-viec/"][entry.kind] ?? "/"
                    let kind = ["incoming": "Văn bản đến", "outgoing": "Văn bản đi", "task": "Công việc"][entry.kind] ?? entry.kind
                    return ["href": path + entry.itemId.uuidString.lowercased(), "title": entry.title, "kind": kind, "at": Labels.dateTime(entry.addedAt)]
                },
                "empty": detail.items.isEmpty, "people": people, "error": error ?? "", "errors": errors, "notice": notice.flatMap { notices[$0] } ?? "",
            ])
    }

    static func node(_ dossier: Dossier) -> [String: Any] {
        [
            "href": "/ho-so/\(dossier.id.uuidString.lowercased())", "name": dossier.name, "entries": dossier.entries, "closed": dossier.closed,
            "unit": dossier.unitId != nil, "shared": dossier.access == "read", "children": (dossier.children ?? []).map(node),
            "hasChildren": !(dossier.children ?? []).isEmpty,
        ]
    }
}
