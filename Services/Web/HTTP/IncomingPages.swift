import Foundation
import Hummingbird

/// Văn bản đến: the three boxes with counts, a document's page with its actions, the files, and the
/// clerk's registration of a paper document.
struct IncomingPages {
    let app: WebApp

    static let boxes: [(slug: String, api: String, label: String)] = [
        ("cho-xu-ly", "pending", "Chờ xử lý"), ("da-xu-ly", "processed", "Đã xử lý"), ("xem-de-biet", "info", "Xem để biết"),
    ]

    struct Item: Decodable {
        var id: UUID
        var arrivalNumber: Int
        var number: Int?
        var notation: String
        var subject: String
        var from: String
        var receivedAt: Date
        var dueDate: Date?
        var state: String
        var urgency: String
        var overdue: Bool
    }

    func add(to router: Router<WebApp.Context>) {
        router.get("/") { request, _ in Renderer.redirect("/van-ban-den", session: WebSession(request)) }
        router.get("van-ban-den") { request, _ -> Response in
            await app.page(request) { session in
                let box = Self.boxes.first { $0.slug == request.query("hop") } ?? Self.boxes[0]
                let page = min(10_000, max(1, Int(request.query("trang") ?? "1") ?? 1))  // the services' bound
                // Filters: độ khẩn, quá hạn only.
                let urgency = request.query("do-khan").flatMap { Labels.urgency[$0] == nil ? nil : $0 }
                let overdueOnly = request.query("qua-han") == "on"
                var filters = urgency.map { "&urgency=\($0)" } ?? ""
                if overdueOnly { filters += "&overdue=true" }
                let kept = (urgency.map { "&do-khan=\($0)" } ?? "") + (overdueOnly ? "&qua-han=on" : "")
                let counts = try await app.backend.get(.documents, "/api/v1/incoming/counts", token: session.token, as: [String: Int].self)
                let list = try await app.backend.get(
                    .documents, "/api/v1/incoming?box=\(box.api)&page=\(page)&perPage=20\(filters)", token: session.token, as: Listing<Item>.self)
                let tabs = Self.boxes.map { tab -> [String: Any] in
                    ["href": "/van-ban-den?hop=\(tab.slug)", "label": tab.label, "count": counts[tab.api] ?? 0, "active": tab.slug == box.slug]
                }
                return app.renderer.page(
                    "incoming-list", title: "Văn bản đến – \(box.label)", session: session, section: .incoming,
                    [
                        "tabs": tabs, "box": box.label, "overdue": (counts["overdue"] ?? 0) > 0 ? "\(counts["overdue"] ?? 0)" : "", "isClerk": session.user?.has("clerk") == true,
                        "items": list.items.map(Self.row), "empty": list.items.isEmpty,
                        "paging": Paging.links(base: "/van-ban-den?hop=\(box.slug)\(kept)", page: page, perPage: 20, total: list.total),
                        "slug": box.slug, "overdueOnly": overdueOnly,
                        "urgencies": Labels.urgency.sorted { $0.key < $1.key }.map { ["value": $0.key, "label": $0.value, "selected": $0.key == urgency] },
                        "notice": request.query("thongbao") == "doi-mat-khau" ? "Đã đổi mật khẩu." : "",
                    ])
            }
        }
        router.get("van-ban-den/vao-so") { request, _ -> Response in
            await app.page(request) { session in
                app.renderer.page("incoming-register", title: "Vào sổ văn bản đến (bản giấy)", session: session, section: .incoming, ["values": [:]])
            }
        }
        router.post("van-ban-den/vao-so") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                var fieldErrors: [String: String] = [:]
                let issued = Labels.isoDay(form["issuedAt"])
                if issued == nil { fieldErrors["issuedAt"] = "Nhập ngày ban hành dạng ngày/tháng/năm, ví dụ 25/11/2026." }
                if form.files("attachments").isEmpty { fieldErrors["attachments"] = "Đính kèm bản quét của văn bản." }
                struct Paper: Encodable {
                    var senderName: String; var number: Int?; var notation: String?; var issuedAt: String; var documentType: String
                    var subject: String; var signerName: String?; var urgency: String; var dueDate: String?; var attachments: [WebFile]
                }
                do {
                    guard fieldErrors.isEmpty, let issued else { throw BackendProblem(status: 422, title: "Dữ liệu chưa hợp lệ", detail: nil, fields: fieldErrors) }
                    struct Registered: Decodable { var id: UUID; var arrivalNumber: Int }
                    let registered = try await app.backend.post(
                        .documents, "/api/v1/incoming", token: session.token,
                        Paper(
                            senderName: form["senderName"] ?? "", number: form["number"].flatMap(Int.init), notation: form["notation"],
                            issuedAt: issued, documentType: form["documentType"] ?? "", subject: form["subject"] ?? "",
                            signerName: form["signerName"], urgency: form["urgency"] ?? "normal", dueDate: Labels.isoDay(form["dueDate"]),
                            attachments: form.files("attachments").map(WebFile.init)), as: Registered.self)
                    return Renderer.redirect("/van-ban-den/\(registered.id.uuidString.lowercased())?thongbao=vao-so", session: session)
                } catch let problem as BackendProblem where problem.status == 422 || problem.status == 400 {
                    return app.renderer.page(
                        "incoming-register", title: "Vào sổ văn bản đến (bản giấy)", session: session, section: .incoming, status: .unprocessableContent,
                        ["values": form.values, "error": problem.summary, "errors": problem.fields])
                }
            }
        }
        router.get("van-ban-den/:id") { request, context -> Response in
            await app.page(request) { session in
                let id = try Self.id(context)
                return try await detailPage(id, session: session, notice: request.query("thongbao"))
            }
        }
        router.get("van-ban-den/:id/tep/:file") { request, context -> Response in
            await app.page(request) { session in
                let id = try Self.id(context)
                guard let file = context.parameters.get("file").flatMap(UUID.init(uuidString:)) else { throw PageError.notFound }
                return try await app.file(.documents, "/api/v1/incoming/\(id)/attachments/\(file)", session: session)
            }
        }
        router.post("van-ban-den/:id/thao-tac") { request, context -> Response in
            await app.page(request) { session in
                let id = try Self.id(context)
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                do {
                    _ = try await app.backend.post(.documents, "/api/v1/incoming/\(id)/actions", token: session.token, Self.action(form), as: Backend.Empty.self)
                    return Renderer.redirect("/van-ban-den/\(id.uuidString.lowercased())?thongbao=da-luu", session: session)
                } catch let problem as BackendProblem where [400, 403, 409, 422].contains(problem.status) {
                    return try await detailPage(id, session: session, error: problem.summary, values: form.values)
                }
            }
        }
    }

    /// The workflow step a form asks for, as the API takes it.
    static func action(_ form: WebForm) -> ActionBody {
        var targets: [ActionBody.Target] = []
        func add(_ value: String, role: String) {
            let parts = value.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let id = UUID(uuidString: String(parts[1])) else { return }
            targets.append(parts[0] == "unit" ? .init(unitId: id, role: role) : .init(userId: id, role: role))
        }
        if let main = form["main"] { add(main, role: "main") }
        for value in form.all("co") { add(value, role: "co") }
        for value in form.all("info") { add(value, role: "info") }
        let deadline = Labels.isoDay(form["deadline"]).map { $0 + "T17:00:00+07:00" }
        return ActionBody(
            action: form["action"] ?? "", to: targets.isEmpty ? nil : targets, deadline: deadline, comment: form["comment"],
            dossier: form["dossier"], title: form["title"], assignee: form["assignee"].flatMap(UUID.init(uuidString:)),
            attachments: form.files("attachments").map(WebFile.init))
    }

    struct ActionBody: Encodable {
        var action: String
        var to: [Target]?
        var deadline: String?
        var comment: String?
        var dossier: String?
        var title: String?
        var assignee: UUID?
        var attachments: [WebFile]
        struct Target: Encodable {
            var userId: UUID?
            var unitId: UUID?
            var role: String
        }
    }

    struct Detail: Decodable {
        var id: UUID
        var arrivalNumber: Int
        var source: String
        var from: From
        var number: Int?
        var notation: String
        var issuedAt: String
        var documentType: String
        var subject: String
        var signer: Signer
        var urgency: String
        var receivedAt: Date
        var dueDate: Date?
        var state: String
        var attachments: [File]
        var assignments: [Part]
        var history: [Step]
        var actions: [String]
        struct From: Decodable { var name: String }
        struct Signer: Decodable { var name: String; var position: String }
        struct File: Decodable { var id: UUID; var name: String; var size: Int; var verification: String? }
        struct Part: Decodable { var assigneeName: String; var role: String; var assignedByName: String; var instruction: String?; var deadline: Date?; var state: String }
        struct Step: Decodable { var at: Date; var actor: String; var action: String; var comment: String? }
    }

    func detailPage(_ id: UUID, session: WebSession, notice: String? = nil, error: String? = nil, values: [String: String] = [:]) async throws -> Response {
        let detail = try await app.backend.get(.documents, "/api/v1/incoming/\(id)", token: session.token, as: Detail.self)
        let people = detail.actions.contains("forward") ? try await Directory.choices(app, session) : []
        let assignees = detail.actions.contains("createTask") ? try await Directory.people(app, session) : []
        let symbol = detail.number.map { "\($0)/\(detail.notation)" } ?? detail.notation
        let base = "/van-ban-den/\(id.uuidString.lowercased())"
        let data: [String: Any] = [
            "id": id.uuidString.lowercased(), "base": base, "subject": detail.subject, "symbol": symbol, "arrivalNumber": detail.arrivalNumber,
            "from": detail.from.name, "type": detail.documentType, "issuedAt": Labels.day(detail.issuedAt), "signer": detail.signer.name,
            "urgency": Labels.urgency[detail.urgency] ?? detail.urgency, "receivedAt": Labels.dateTime(detail.receivedAt),
            "dueDate": Labels.dateTime(detail.dueDate), "state": Labels.incomingState[detail.state] ?? detail.state,
            "files": detail.attachments.map { file -> [String: Any] in
                [
                    "href": "\(base)/tep/\(file.id.uuidString.lowercased())", "name": file.name, "size": Self.size(file.size),
                    "verdict": file.verification.flatMap { Labels.verdict[$0] } ?? "", "failed": file.verification == "failed",
                    "passed": file.verification == "passed",
                ]
            },
            "parts": detail.assignments.map { part -> [String: Any] in
                [
                    "who": part.assigneeName, "role": Labels.handlingRole[part.role] ?? part.role, "by": part.assignedByName,
                    "instruction": part.instruction ?? "", "deadline": Labels.dateTime(part.deadline), "open": part.state == "open",
                ]
            },
            "history": detail.history.map { step -> [String: Any] in
                ["at": Labels.dateTime(step.at), "actor": step.actor, "action": Labels.historyAction(step.action), "comment": step.comment ?? ""]
            },
            "can": Dictionary(uniqueKeysWithValues: detail.actions.map { ($0, true) }), "hasActions": !detail.actions.isEmpty,
            "people": people, "assignees": assignees, "error": error ?? "", "values": values, "hasParts": !detail.assignments.isEmpty,
            "notice": notice == "da-luu" ? "Đã lưu." : notice == "vao-so" ? "Đã vào sổ số đến \(detail.arrivalNumber)." : "",
        ]
        return app.renderer.page("incoming-detail", title: detail.subject, session: session, section: .incoming, status: error == nil ? .ok : .unprocessableContent, data)
    }

    static func row(_ item: Item) -> [String: Any] {
        [
            "href": "/van-ban-den/\(item.id.uuidString.lowercased())", "arrivalNumber": item.arrivalNumber,
            "symbol": item.number.map { "\($0)/\(item.notation)" } ?? item.notation, "subject": item.subject, "from": item.from,
            "receivedAt": Labels.date(item.receivedAt), "dueDate": Labels.date(item.dueDate), "overdue": item.overdue,
            "state": Labels.incomingState[item.state] ?? item.state, "urgent": item.urgency != "normal",
            "urgency": Labels.urgency[item.urgency] ?? item.urgency,
        ]
    }

    static func id(_ context: WebApp.Context) throws -> UUID {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { throw PageError.notFound }
        return id
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1 << 20 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}

/// An uploaded file as the APIs take it (base64).
struct WebFile: Encodable {
    var name: String
    var contentType: String
    var data: String

    init(_ file: WebForm.File) {
        name = file.name
        contentType = file.contentType
        data = Data(file.bytes).base64EncodedString()
    }
}

/// Page links for a list.
enum Paging {
    static func links(base: String, page: Int, perPage: Int, total: Int) -> [String: Any] {
        let pages = max(1, (total + perPage - 1) / perPage)
        return [
            "page": page, "pages": pages, "total": total, "previous": page > 1 ? "\(base)&trang=\(page - 1)" : "",
            "next": page < pages ? "\(base)&trang=\(page + 1)" : "",
        ]
    }
}
