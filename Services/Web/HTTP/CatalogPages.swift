import Foundation
import Hummingbird

/// Quản trị: units, the catalogs (document types, fields, registers, other agencies, districts) and a
/// person's roles and permissions, over Documents' API (its admin routes decide who may).
struct CatalogPages {
    let app: WebApp

    struct Field {
        var name: String
        var label: String
        var kind: Kind = .text
        enum Kind { case text, check, register }
    }

    struct Catalog {
        var slug: String
        var path: String
        var title: String
        var fields: [Field]
    }

    static let catalogs = [
        Catalog(slug: "loai-van-ban", path: "document-types", title: "Loại văn bản",
            fields: [.init(name: "name", label: "Tên loại"), .init(name: "abbreviation", label: "Viết tắt (trống cho Công văn)"), .init(name: "isCopy", label: "Là bản sao", kind: .check)]),
        Catalog(slug: "linh-vuc", path: "document-fields", title: "Lĩnh vực", fields: [.init(name: "code", label: "Mã"), .init(name: "name", label: "Tên lĩnh vực")]),
        Catalog(slug: "so-van-ban", path: "registers", title: "Sổ văn bản",
            fields: [.init(name: "kind", label: "Loại sổ", kind: .register), .init(name: "code", label: "Mã sổ"), .init(name: "name", label: "Tên sổ")]),
        Catalog(slug: "co-quan", path: "agencies", title: "Cơ quan gửi, nhận", fields: [.init(name: "code", label: "Mã định danh"), .init(name: "name", label: "Tên cơ quan")]),
        Catalog(slug: "quan-huyen", path: "districts", title: "Quận, huyện", fields: [.init(name: "code", label: "Mã"), .init(name: "name", label: "Tên")]),
    ]

    func add(to router: Router<WebApp.Context>) {
        router.get("quan-tri/danh-muc") { request, _ -> Response in
            await app.page(request) { session in try await catalogPage(request.query("loai"), session: session) }
        }
        router.post("quan-tri/danh-muc") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                let catalog = Self.catalogs.first { $0.slug == form["loai"] } ?? Self.catalogs[0]
                var body: [String: Any] = ["active": true]
                for field in catalog.fields {
                    switch field.kind {
                    case .check: body[field.name] = form[field.name] == "on"
                    default: if let value = form[field.name], !value.isEmpty { body[field.name] = value }
                    }
                }
                let answer = try await app.backend.call(
                    .POST, .documents, "/api/v1/\(catalog.path)", token: session.token, body: Array(try JSONSerialization.data(withJSONObject: body)))
                guard (200..<300).contains(answer.status) else {
                    return try await catalogPage(catalog.slug, session: session, values: form.values, problem: BackendProblem(answer))
                }
                return Renderer.redirect("/quan-tri/danh-muc?loai=\(catalog.slug)", session: session)
            }
        }
        router.get("quan-tri/don-vi") { request, _ -> Response in
            await app.page(request) { session in try await unitsPage(session, values: [:]) }
        }
        router.post("quan-tri/don-vi") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                var body: [String: Any] = ["code": form["code"] ?? "", "name": form["name"] ?? "", "abbreviation": form["abbreviation"] ?? ""]
                if let parent = form["parentId"], !parent.isEmpty { body["parentId"] = parent }
                let answer = try await app.backend.call(
                    .POST, .documents, "/api/v1/units", token: session.token, body: Array(try JSONSerialization.data(withJSONObject: body)))
                guard (200..<300).contains(answer.status) else { return try await unitsPage(session, values: form.values, problem: BackendProblem(answer)) }
                return Renderer.redirect("/quan-tri/don-vi", session: session)
            }
        }
        router.get("quan-tri/nguoi-dung/:id") { request, context -> Response in
            await app.page(request) { session in try await userPage(try IncomingPages.id(context), session: session) }
        }
        router.post("quan-tri/nguoi-dung/:id") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                let current = try await app.backend.call(.GET, .documents, "/api/v1/users/\(id)", token: session.token)
                guard current.status == 200, var user = try JSONSerialization.jsonObject(with: Data(current.body)) as? [String: Any] else {
                    throw BackendProblem(current)
                }
                // The same person with the roles, permissions and state the form gives.
                user["roles"] = form.all("roles")
                user["permissions"] = form.all("permissions")
                user["active"] = form["active"] == "on"
                user["locked"] = form["locked"] == "on"
                let body = user.filter { ["fullName", "unitId", "position", "roles", "permissions", "phone", "email", "active", "locked"].contains($0.key) && !($0.value is NSNull) }
                let answer = try await app.backend.call(
                    .PUT, .documents, "/api/v1/users/\(id)", token: session.token, body: Array(try JSONSerialization.data(withJSONObject: body)))
                guard (200..<300).contains(answer.status) else { return try await userPage(id, session: session, problem: BackendProblem(answer)) }
                return Renderer.redirect("/quan-tri/nguoi-dung/\(id.uuidString.lowercased())?thongbao=da-luu", session: session)
            }
        }
    }

    func catalogPage(_ slug: String?, session: WebSession, values: [String: String] = [:], problem: BackendProblem? = nil) async throws -> Response {
        let catalog = Self.catalogs.first { $0.slug == slug } ?? Self.catalogs[0]
        let answer = try await app.backend.call(.GET, .documents, "/api/v1/\(catalog.path)", token: session.token)
        guard answer.status == 200, let entries = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [[String: Any]] else { throw BackendProblem(answer) }
        return app.renderer.page(
            "catalog", title: "Danh mục: \(catalog.title)", session: session, section: .admin, status: problem == nil ? .ok : .unprocessableContent,
            [
                "slug": catalog.slug, "heading": catalog.title,
                "tabs": Self.catalogs.map { ["href": "/quan-tri/danh-muc?loai=\($0.slug)", "label": $0.title, "active": $0.slug == catalog.slug] },
                "columns": catalog.fields.map { ["label": $0.label] },
                "rows": entries.map { entry in
                    ["cells": catalog.fields.map { field -> [String: Any] in
                        let value = entry[field.name]
                        let text = (value as? Bool).map { $0 ? "Có" : "" } ?? (value as? String).map { $0 == "incoming" ? "Văn bản đến" : $0 == "outgoing" ? "Văn bản đi" : $0 } ?? ""
                        return ["text": text]
                    }, "inactive": (entry["active"] as? Bool) == false]
                },
                "fields": catalog.fields.map { field -> [String: Any] in
                    ["name": field.name, "label": field.label, "value": values[field.name] ?? "", "check": field.kind == .check, "register": field.kind == .register,
                     "text": field.kind == .text, "error": problem?.fields[field.name] ?? ""]
                },
                "error": problem?.summary ?? "",
            ])
    }

    func unitsPage(_ session: WebSession, values: [String: String], problem: BackendProblem? = nil) async throws -> Response {
        struct Unit: Decodable { var id: UUID; var parentId: UUID?; var code: String; var name: String; var abbreviation: String }
        let units = try await app.backend.get(.documents, "/api/v1/units", token: session.token, as: [Unit].self)
        let names = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
        return app.renderer.page(
            "units", title: "Quản trị đơn vị", session: session, section: .admin, status: problem == nil ? .ok : .unprocessableContent,
            [
                "units": units.map { ["code": $0.code, "name": $0.name, "abbreviation": $0.abbreviation, "parent": $0.parentId.flatMap { names[$0] } ?? ""] },
                "parents": units.map { ["id": $0.id.uuidString.lowercased(), "name": $0.name] }, "values": values, "error": problem?.summary ?? "",
                "errors": problem?.fields ?? [:],
            ])
    }

    func userPage(_ id: UUID, session: WebSession, problem: BackendProblem? = nil) async throws -> Response {
        struct User: Decodable { var username: String; var fullName: String; var roles: [String]; var permissions: [String]; var active: Bool; var locked: Bool }
        let user = try await app.backend.get(.documents, "/api/v1/users/\(id)", token: session.token, as: User.self)
        let permissions = ["sms.send": "Gửi tin nhắn SMS", "news.publish": "Đăng tin nội bộ", "calendar.publishAgency": "Phát hành lịch công tác cơ quan", "reports.view": "Xem báo cáo thống kê"]
        return app.renderer.page(
            "admin-user", title: "Phân quyền: \(user.fullName)", session: session, section: .admin, status: problem == nil ? .ok : .unprocessableContent,
            [
                "base": "/quan-tri/nguoi-dung/\(id.uuidString.lowercased())", "name": user.fullName, "username": user.username, "active": user.active, "locked": user.locked,
                "roles": Labels.role.sorted { $0.key < $1.key }.map { ["value": $0.key, "label": $0.value, "checked": user.roles.contains($0.key)] },
                "permissions": permissions.sorted { $0.key < $1.key }.map { ["value": $0.key, "label": $0.value, "checked": user.permissions.contains($0.key)] },
                "error": problem?.summary ?? "",
            ])
    }
}
