import Foundation
import Hummingbird

/// Công việc (giao việc): the tasks given to me and those I gave, giving one, and reporting progress.
struct TaskPages {
    let app: WebApp

    static let views: [(slug: String, api: String, label: String)] = [("cua-toi", "mine", "Việc của tôi"), ("da-giao", "assigned", "Việc tôi giao")]

    struct Task: Decodable {
        var id: UUID
        var title: String
        var assigneeName: String
        var creatorName: String
        var deadline: Date?
        var incomingId: UUID?
        var percent: Int
        var done: Bool
        var overdue: Bool
        var progress: [Step]?
        var assigneeId: UUID
        struct Step: Decodable { var percent: Int; var comment: String; var by: String; var at: Date }
    }

    struct NewTask: Encodable { var title: String; var assigneeId: UUID?; var deadline: String? }
    struct Report: Encodable { var percent: Int; var comment: String }

    func add(to router: Router<WebApp.Context>) {
        router.get("cong-viec") { request, _ -> Response in
            await app.page(request) { session in try await listPage(request.query("xem"), session: session, notice: request.query("thongbao")) }
        }
        router.post("cong-viec") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                let deadline = Labels.isoDay(form["deadline"]).map { $0 + "T17:00:00+07:00" }
                do {
                    if form["deadline"].map({ !$0.isEmpty }) == true, deadline == nil {
                        throw BackendProblem(
                            status: 422, title: "Dữ liệu chưa hợp lệ", detail: nil, fields: ["deadline": "Nhập hạn dạng ngày/tháng/năm, ví dụ 30/12/2026."])
                    }
                    _ = try await app.backend.post(
                        .documents, "/api/v1/tasks", token: session.token,
                        NewTask(title: form["title"] ?? "", assigneeId: form["assigneeId"].flatMap(UUID.init(uuidString:)), deadline: deadline),
                        as: Backend.Empty.self)
                    return Renderer.redirect("/cong-viec?xem=da-giao&thongbao=da-giao", session: session)
                } catch let problem as BackendProblem where [400, 403, 422].contains(problem.status) {
                    return try await listPage("da-giao", session: session, error: problem.summary, errors: problem.fields, values: form.values)
                }
            }
        }
        router.get("cong-viec/:id") { request, context -> Response in
            await app.page(request) { session in try await detailPage(try IncomingPages.id(context), session: session, notice: request.query("thongbao")) }
        }
        router.post("cong-viec/:id/tien-do") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let form = try await WebForm.read(request)
                try session.checkCSRF(form)
                do {
                    guard let percent = form["percent"].flatMap(Int.init) else {
                        throw BackendProblem(status: 422, title: "Dữ liệu chưa hợp lệ", detail: nil, fields: ["percent": "Nhập số phần trăm từ 0 đến 100."])
                    }
                    _ = try await app.backend.post(
                        .documents, "/api/v1/tasks/\(id)/progress", token: session.token, Report(percent: percent, comment: form["comment"] ?? ""),
                        as: Backend.Empty.self)
                    return Renderer.redirect("/cong-viec/\(id.uuidString.lowercased())?thongbao=da-luu", session: session)
                } catch let problem as BackendProblem where [400, 403, 422].contains(problem.status) {
                    return try await detailPage(id, session: session, error: problem.summary, errors: problem.fields, values: form.values)
                }
            }
        }
    }

    func listPage(
        _ slug: String?, session: WebSession, notice: String? = nil, error: String? = nil, errors: [String: String] = [:], values: [String: String] = [:]
    ) async throws -> Response {
        let view = Self.views.first { $0.slug == slug } ?? Self.views[0]
        let list = try await app.backend.get(.documents, "/api/v1/tasks?view=\(view.api)&perPage=100", token: session.token, as: Listing<Task>.self)
        return app.renderer.page(
            "tasks", title: "Công việc – \(view.label)", session: session, section: .tasks, status: error == nil ? .ok : .unprocessableContent,
            [
                "tabs": Self.views.map { ["href": "/cong-viec?xem=\($0.slug)", "label": $0.label, "active": $0.slug == view.slug] },
                "items": list.items.map(Self.row), "empty": list.items.isEmpty, "total": list.total,
                "people": try await Directory.people(app, session), "values": values, "error": error ?? "", "errors": errors,
                "notice": notice == "da-giao" ? "Đã giao việc." : "",
            ])
    }

    func detailPage(
        _ id: UUID, session: WebSession, notice: String? = nil, error: String? = nil, errors: [String: String] = [:], values: [String: String] = [:]
    ) async throws -> Response {
        let task = try await app.backend.get(.documents, "/api/v1/tasks/\(id)", token: session.token, as: Task.self)
        var data = Self.row(task)
        data["mine"] = task.assigneeId.uuidString.lowercased() == session.user?.sub
        data["incoming"] = task.incomingId.map { "/van-ban-den/\($0.uuidString.lowercased())" } ?? ""
        data["progress"] = (task.progress ?? []).map { ["percent": $0.percent, "comment": $0.comment, "by": $0.by, "at": Labels.dateTime($0.at)] }
        data["hasProgress"] = !(task.progress ?? []).isEmpty
        data["base"] = "/cong-viec/\(id.uuidString.lowercased())"
        data["values"] = values
        data["error"] = error ?? ""
        data["errors"] = errors
        data["notice"] = notice == "da-luu" ? "Đã cập nhật tiến độ." : ""
        data["dossiers"] = try await DossierPages.fileable(app, session)
        return app.renderer.page("task", title: task.title, session: session, section: .tasks, status: error == nil ? .ok : .unprocessableContent, data)
    }

    static func row(_ task: Task) -> [String: Any] {
        [
            "href": "/cong-viec/\(task.id.uuidString.lowercased())", "title": task.title, "assignee": task.assigneeName, "creator": task.creatorName,
            "deadline": Labels.dateTime(task.deadline), "percent": task.percent, "overdue": task.overdue,
            "state": task.done ? "Đã hoàn thành" : task.overdue ? "Quá hạn" : "Đang thực hiện",
        ]
    }
}
