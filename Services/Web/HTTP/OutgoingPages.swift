import Foundation
import Hummingbird

/// Văn bản đi: the boxes, soạn thảo, a document's page with the approval steps, the clerk's signed
/// file, issuance and recall.
struct OutgoingPages {
    let app: WebApp

    static let boxes: [(slug: String, api: String, label: String)] = [
        ("du-thao", "drafts", "Dự thảo của tôi"), ("cho-duyet", "review", "Chờ tôi duyệt"), ("tra-lai", "returned", "Bị trả lại"),
        ("cho-phat-hanh", "issuing", "Chờ phát hành"), ("da-phat-hanh", "issued", "Đã phát hành"),
    ]

    struct Item: Decodable {
        var id: UUID
        var state: String
        var documentType: String
        var subject: String
        var symbol: String?
        var issuedAt: String?
        var author: String
        var holder: String?
        var updatedAt: Date
    }
    struct Option: Decodable { var id: UUID; var name: String; var abbreviation: String?; var code: String?; var kind: String?; var active: Bool? }
    struct Agency: Decodable { var code: String; var name: String; var active: Bool }

    func add(to router: Router<WebApp.Context>) {
        router.get("van-ban-di") { request, _ -> Response in
            await app.page(request) { session in
                let box = Self.boxes.first { $0.slug == request.query("hop") } ?? Self.boxes[0]
                let page = min(10_000, max(1, Int(request.query("trang") ?? "1") ?? 1))  // the services' bound
                let list = try await app.backend.get(
                    .documents, "/api/v1/outgoing?box=\(box.api)&page=\(page)&perPage=20", token: session.token, as: Listing<Item>.self)
                return app.renderer.page(
                    "outgoing-list", title: "Văn bản đi – \(box.label)", session: session, section: .outgoing,
                    [
                        "tabs": Self.boxes.map { ["href": "/van-ban-di?hop=\($0.slug)", "label": $0.label, "active": $0.slug == box.slug] },
                        "box": box.label, "items": list.items.map(Self.row), "empty": list.items.isEmpty,
                        "canDraft": session.user.map { $0.has("specialist") || $0.isLeader } ?? false,
                        "paging": Paging.links(base: "/van-ban-di?hop=\(box.slug)", page: page, perPage: 20, total: list.total),
                    ])
            }
        }
        router.get("van-ban-di/soan-thao") { request, _ -> Response in
            await app.page(request) { session in try await draftPage(session, values: [:]) }
        }
        router.post("van-ban-di/soan-thao") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                struct Recipient: Encodable { var unitId: UUID?; var userId: UUID?; var agencyCode: String?; var paper: Bool? }
                struct Related: Encodable { var kind: String; var id: String }
                struct Draft: Encodable {
                    var documentTypeId: UUID?; var subject: String; var urgency: String; var secrecy: String; var flags: [String]
                    var files: [WebFile]; var recipients: [Recipient]; var related: [Related]
                }
                // Two lists: electronic only (or as the rules say), and with paper too.
                let withPaper = Set(form.all("paperRecipient"))
                let recipients = (form.all("recipient") + form.all("paperRecipient").filter { !form.all("recipient").contains($0) }).compactMap { value -> Recipient? in
                    let paper: Bool? = withPaper.contains(value) ? true : nil
                    let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { return nil }
                    switch parts[0] {
                    case "unit": return UUID(uuidString: parts[1]).map { Recipient(unitId: $0, paper: paper) }
                    case "user": return UUID(uuidString: parts[1]).map { Recipient(userId: $0, paper: paper) }
                    case "agency": return Recipient(agencyCode: parts[1], paper: paper)
                    default: return nil
                    }
                }
                do {
                    guard let type = form["documentTypeId"].flatMap(UUID.init(uuidString:)) else {
                        throw BackendProblem(status: 422, title: "Dữ liệu chưa hợp lệ", detail: nil, fields: ["documentTypeId": "Chọn loại văn bản."])
                    }
                    let created = try await app.backend.post(
                        .documents, "/api/v1/outgoing", token: session.token,
                        Draft(
                            documentTypeId: type, subject: form["subject"] ?? "", urgency: form["urgency"] ?? "normal",
                            secrecy: form["secrecy"] ?? "none", flags: form.all("flags"), files: form.files("files").map(WebFile.init),
                            recipients: recipients,
                            related: form.all("related").compactMap { value in
                                let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
                                return parts.count == 2 ? Related(kind: parts[0], id: parts[1]) : nil
                            }), as: IDOnly.self)
                    return Renderer.redirect("/van-ban-di/\(created.id.uuidString.lowercased())?thongbao=da-tao", session: session)
                } catch let problem as BackendProblem where problem.status == 422 || problem.status == 400 {
                    return try await draftPage(
                        session, values: form.values, chosen: Set(form.all("recipient")), paperChosen: Set(form.all("paperRecipient")),
                        flags: Set(form.all("flags")), problem: problem)
                }
            }
        }
        router.get("van-ban-di/:id") { request, context -> Response in
            await app.page(request) { session in try await detailPage(try IncomingPages.id(context), session: session, notice: request.query("thongbao")) }
        }
        router.get("van-ban-di/:id/tep/:file") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                guard let file = context.parameters.get("file").flatMap(UUID.init(uuidString:)) else { throw PageError.notFound }
                return try await app.file(.documents, "/api/v1/outgoing/\(id)/files/\(file)", session: session)
            }
        }
        for (path, api) in [("thao-tac", "actions"), ("tep-ky", "final"), ("phat-hanh", "issue"), ("thu-hoi", "recall")] {
            router.post("van-ban-di/:id/\(path)") { request, context -> Response in
                await app.page(request) { session in
                    let id = try IncomingPages.id(context)
                    let form = try await WebForm.read(request)
                    try session.checkCSRF(form)
                    do {
                        _ = try await app.backend.post(.documents, "/api/v1/outgoing/\(id)/\(api)", token: session.token, Self.body(api, form), as: Backend.Empty.self)
                        let next = form["action"] == "delete" ? "/van-ban-di?thongbao=da-xoa" : "/van-ban-di/\(id.uuidString.lowercased())?thongbao=da-luu"
                        return Renderer.redirect(next, session: session)
                    } catch let problem as BackendProblem where [400, 403, 409, 422].contains(problem.status) {
                        return try await detailPage(id, session: session, error: problem.summary, values: form.values)
                    }
                }
            }
        }
    }

    struct IDOnly: Decodable { var id: UUID }

    /// The JSON each step's API takes, from its form.
    static func body(_ api: String, _ form: WebForm) -> AnyEncodable {
        switch api {
        case "final":
            return AnyEncodable(["file": form.files("file").first.map(WebFile.init)])
        case "issue":
            struct Issue: Encodable { var registerId: String?; var issuedAt: String?; var signerName: String; var signerPosition: String?; var overrideSignature: Bool }
            return AnyEncodable(
                Issue(
                    registerId: form["registerId"], issuedAt: Labels.isoDay(form["issuedAt"]), signerName: form["signerName"] ?? "",
                    signerPosition: form["signerPosition"], overrideSignature: form["overrideSignature"] == "on"))
        case "recall":
            return AnyEncodable(["reason": form["reason"] ?? ""])
        default:
            struct Action: Encodable { var action: String; var to: UUID?; var comment: String?; var files: [WebFile] }
            return AnyEncodable(
                Action(
                    action: form["action"] ?? "", to: form["to"].flatMap(UUID.init(uuidString:)), comment: form["comment"],
                    files: form.files("files").map(WebFile.init)))
        }
    }

    func draftPage(
        _ session: WebSession, values: [String: String], chosen: Set<String> = [], paperChosen: Set<String> = [], flags: Set<String> = [],
        problem: BackendProblem? = nil
    ) async throws -> Response {
        let types = try await app.backend.get(.documents, "/api/v1/document-types", token: session.token, as: [Option].self)
        let agencies = try await app.backend.get(.documents, "/api/v1/agencies", token: session.token, as: [Agency].self)
        var recipients = try await Directory.choices(app, session)
        recipients += agencies.filter(\.active).map { ["value": "agency:\($0.code)", "label": "Cơ quan: \($0.name)"] }
        var paperRecipients = recipients
        for index in recipients.indices {
            recipients[index]["selected"] = chosen.contains(recipients[index]["value"] as? String ?? "")
            paperRecipients[index]["selected"] = paperChosen.contains(paperRecipients[index]["value"] as? String ?? "")
        }
        // Documents the author may link: what reached them, newest first.
        var related: [[String: Any]] = []
        for box in ["pending", "processed"] {
            let items = try await app.backend.get(.documents, "/api/v1/incoming?box=\(box)&perPage=50", token: session.token, as: Listing<IncomingPages.Item>.self).items
            related += items.map { ["value": "incoming:\($0.id.uuidString.lowercased())", "label": "Văn bản đến số \($0.arrivalNumber): \($0.subject)"] }
        }
        let flagChoices: [(String, String)] = [
            ("legalNormative", "Văn bản quy phạm pháp luật"), ("submissionToCommittee", "Trình cấp ủy, HĐND, UBND"),
            ("directive", "Mang tính chỉ đạo, chủ trương"), ("budget", "Về tài chính, ngân sách"), ("staffing", "Về tổ chức, cán bộ, biên chế"),
            ("administrativeProcedure", "Ban hành thủ tục hành chính"),
        ]
        return app.renderer.page(
            "outgoing-draft", title: "Soạn thảo văn bản đi", session: session, section: .outgoing,
            status: problem == nil ? .ok : .unprocessableContent,
            [
                "types": types.filter { $0.active != false }.map {
                    ["id": $0.id.uuidString.lowercased(), "name": $0.name, "selected": values["documentTypeId"] == $0.id.uuidString.lowercased()]
                },
                "recipients": recipients, "paperRecipients": paperRecipients, "related": related,
                "flags": flagChoices.map { ["value": $0.0, "label": $0.1, "checked": flags.contains($0.0)] },
                "values": values, "error": problem?.summary ?? "", "errors": problem?.fields ?? [:],
            ])
    }

    struct Detail: Decodable {
        var id: UUID
        var state: String
        var author: String
        var holder: String?
        var documentType: String
        var subject: String
        var urgency: String
        var secrecy: String
        var symbol: String?
        var issuedAt: String?
        var signer: Signer?
        var files: [File]
        var recipients: [Recipient]
        var history: [IncomingPages.Detail.Step]
        var actions: [String]
        struct Signer: Decodable { var name: String; var position: String }
        struct File: Decodable { var id: UUID; var kind: String; var version: Int; var name: String; var size: Int; var addedBy: String; var verification: String?; var verificationNote: String? }
        struct Recipient: Decodable { var name: String; var kind: String; var delivery: String; var status: String?; var statusNote: String?; var statusAt: Date? }
    }

    func detailPage(_ id: UUID, session: WebSession, notice: String? = nil, error: String? = nil, values: [String: String] = [:]) async throws -> Response {
        let detail = try await app.backend.get(.documents, "/api/v1/outgoing/\(id)", token: session.token, as: Detail.self)
        let base = "/van-ban-di/\(id.uuidString.lowercased())"
        struct Person: Decodable { var id: UUID; var fullName: String; var unitName: String; var roles: [String]? }
        var leaders: [[String: Any]] = []
        var heads: [[String: Any]] = []
        if detail.actions.contains(where: { ["submit", "forward", "approve"].contains($0) }) {
            let people = try await app.backend.get(.documents, "/api/v1/directory?perPage=200", token: session.token, as: Listing<Person>.self).items
                .filter { $0.id.uuidString.lowercased() != session.user?.sub }
            leaders = people.filter { ($0.roles ?? []).contains { $0 == "unitLeader" || $0 == "head" } }
                .map { ["id": $0.id.uuidString.lowercased(), "label": "\($0.fullName) – \($0.unitName)"] }
            heads = people.filter { ($0.roles ?? []).contains("head") }.map { ["id": $0.id.uuidString.lowercased(), "label": $0.fullName] }
        }
        var registers: [[String: Any]] = []
        if detail.actions.contains("issue") {
            registers = try await app.backend.get(.documents, "/api/v1/registers?kind=outgoing", token: session.token, as: [Option].self)
                .filter { $0.kind == "outgoing" && $0.active != false }.map { ["id": $0.id.uuidString.lowercased(), "name": $0.name] }
        }
        let final = detail.files.last { $0.kind == "final" }
        let data: [String: Any] = [
            "base": base, "subject": detail.subject, "type": detail.documentType, "state": Labels.outgoingState[detail.state] ?? detail.state,
            "author": detail.author, "holder": detail.holder ?? "", "urgency": Labels.urgency[detail.urgency] ?? detail.urgency,
            "secret": detail.secrecy != "none", "symbol": detail.symbol ?? "", "issuedAt": Labels.day(detail.issuedAt),
            "signer": detail.signer.map { "\($0.name)\($0.position.isEmpty ? "" : ", \($0.position)")" } ?? "",
            "files": detail.files.map { file -> [String: Any] in
                [
                    "href": "\(base)/tep/\(file.id.uuidString.lowercased())", "name": file.name, "kind": file.kind == "final" ? "Văn bản đã ký" : "Dự thảo",
                    "version": file.version, "by": file.addedBy, "size": IncomingPages.size(file.size),
                    "verdict": file.verification.flatMap { Labels.verdict[$0] } ?? "", "failed": file.verification == "failed",
                    "passed": file.verification == "passed", "note": file.verificationNote ?? "",
                ]
            },
            "recipients": detail.recipients.map { r -> [String: Any] in
                [
                    "name": r.name, "delivery": Labels.delivery[r.delivery] ?? r.delivery,
                    "status": r.status.flatMap { Labels.recipientStatus[$0] ?? $0 } ?? "Chưa gửi", "note": r.statusNote ?? "",
                    "at": Labels.dateTime(r.statusAt),
                ]
            },
            "history": detail.history.map { step -> [String: Any] in
                ["at": Labels.dateTime(step.at), "actor": step.actor, "action": Labels.historyAction(step.action), "comment": step.comment ?? ""]
            },
            "can": Dictionary(uniqueKeysWithValues: detail.actions.map { ($0, true) }), "hasActions": !detail.actions.isEmpty,
            "leaders": leaders, "heads": heads, "isHead": session.user?.has("head") == true, "registers": registers,
            "finalVerdict": final?.verification.flatMap { Labels.verdict[$0] } ?? "", "indeterminate": final?.verification == "indeterminate",
            "hasFinal": final != nil, "today": Labels.date(Date()), "error": error ?? "", "values": values,
            "notice": notice == "da-luu" ? "Đã lưu." : notice == "da-tao" ? "Đã tạo dự thảo." : "",
        ]
        return app.renderer.page("outgoing-detail", title: detail.subject, session: session, section: .outgoing, status: error == nil ? .ok : .unprocessableContent, data)
    }

    static func row(_ item: Item) -> [String: Any] {
        [
            "href": "/van-ban-di/\(item.id.uuidString.lowercased())", "subject": item.subject, "type": item.documentType, "symbol": item.symbol ?? "",
            "issuedAt": Labels.day(item.issuedAt), "author": item.author, "holder": item.holder ?? "",
            "state": Labels.outgoingState[item.state] ?? item.state, "updatedAt": Labels.dateTime(item.updatedAt),
        ]
    }
}

/// Any encodable body, chosen at run time.
struct AnyEncodable: Encodable {
    let encodeBody: (any Encoder) throws -> Void
    init(_ value: some Encodable) { encodeBody = value.encode }
    func encode(to encoder: any Encoder) throws { try encodeBody(encoder) }
}
