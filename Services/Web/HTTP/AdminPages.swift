import Foundation
import Hummingbird

/// Quản trị: users (with the one-time password shown once), and the usage log.
struct AdminPages {
    let app: WebApp

    struct User: Decodable { var id: UUID; var username: String; var fullName: String; var unitId: UUID; var position: String; var roles: [String]; var active: Bool; var locked: Bool }
    struct LogEntry: Decodable { var at: Date; var username: String?; var actionName: String; var detail: String?; var address: String? }

    func add(to router: Router<WebApp.Context>) {
        router.get("quan-tri/nguoi-dung") { request, _ -> Response in
            await app.page(request) { session in try await usersPage(session, values: [:]) }
        }
        router.post("quan-tri/nguoi-dung") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                struct NewUser: Encodable { var username: String?; var fullName: String; var unitId: UUID?; var position: String; var roles: [String]; var permissions: [String]; var phone: String? }
                struct Created: Decodable { var username: String; var initialPassword: String }
                do {
                    let created = try await app.backend.post(
                        .documents, "/api/v1/users", token: session.token,
                        NewUser(
                            username: form["username"], fullName: form["fullName"] ?? "", unitId: form["unitId"].flatMap(UUID.init(uuidString:)),
                            position: form["position"] ?? "", roles: form.all("roles"), permissions: form.all("permissions"), phone: form["phone"]),
                        as: Created.self)
                    return try await usersPage(session, values: [:], created: ["username": created.username, "password": created.initialPassword])
                } catch let problem as BackendProblem where problem.status == 422 || problem.status == 400 || problem.status == 409 {
                    return try await usersPage(session, values: form.values, problem: problem)
                }
            }
        }
        router.get("quan-tri/nhat-ky") { request, _ -> Response in
            await app.page(request) { session in
                let log = try await app.backend.get(.documents, "/api/v1/usage-log?perPage=100", token: session.token, as: Listing<LogEntry>.self)
                return app.renderer.page(
                    "usage-log", title: "Nhật ký sử dụng", session: session, section: .admin,
                    ["entries": log.items.map { ["at": Labels.dateTime($0.at), "user": $0.username ?? "", "action": $0.actionName, "detail": $0.detail ?? "", "address": $0.address ?? ""] }])
            }
        }
    }

    func usersPage(_ session: WebSession, values: [String: String], created: [String: String]? = nil, problem: BackendProblem? = nil) async throws -> Response {
        let users = try await app.backend.get(.documents, "/api/v1/users?perPage=200", token: session.token, as: Listing<User>.self).items
        let units = try await app.backend.get(.documents, "/api/v1/units", token: session.token, as: [Directory.Unit].self)
        let unitNames = Dictionary(uniqueKeysWithValues: units.map { ($0.id, $0.name) })
        return app.renderer.page(
            "admin-users", title: "Quản trị người dùng", session: session, section: .admin, status: problem == nil ? .ok : .unprocessableContent,
            [
                "users": users.map {
                    [
                        "href": "/quan-tri/nguoi-dung/\($0.id.uuidString.lowercased())", "username": $0.username, "name": $0.fullName, "unit": unitNames[$0.unitId] ?? "", "position": $0.position,
                        "roles": $0.roles.map { Labels.role[$0] ?? $0 }.joined(separator: ", "), "state": !$0.active ? "Ngừng hoạt động" : $0.locked ? "Bị khóa" : "Hoạt động",
                    ]
                },
                "units": units.map { ["id": $0.id.uuidString.lowercased(), "name": $0.name, "selected": values["unitId"] == $0.id.uuidString.lowercased()] },
                "roles": Labels.role.sorted { $0.key < $1.key }.map { ["value": $0.key, "label": $0.value] },
                "created": created ?? [:], "hasCreated": created != nil, "values": values, "error": problem?.summary ?? "", "errors": problem?.fields ?? [:],
            ])
    }
}
