import Contracts
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import VietnameseText

/// Giao việc: `POST /api/v1/tasks`, `GET /api/v1/tasks?view=mine|assigned`, `GET /api/v1/tasks/{id}`,
/// `POST /api/v1/tasks/{id}/progress`. Who may give whom a task is `TaskRules`'; the assignee is told in
/// the app, and reminded once when the deadline passes (`DeadlineWatch`).
struct TaskRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    struct NewTask: Decodable {
        var title: String
        var assigneeId: UUID
        var deadline: Date?
        var incomingId: UUID?
    }

    struct ProgressReport: Decodable {
        var percent: Int
        var comment: String?
    }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("tasks") { request, context -> EditedResponse<TaskStore.View> in
            let caller = try context.requireCaller()
            let body = try await request.json(NewTask.self, context: context)
            return EditedResponse(status: .created, response: try await create(body, by: caller))
        }
        api.get("tasks") { request, context -> Page<TaskStore.View> in
            let caller = try context.requireCaller()
            let view = request.uri.queryParameters.get("view") ?? "mine"
            guard view == "mine" || view == "assigned" else {
                throw ProblemDetails.invalid([.init(field: "view", message: "Chọn mine (việc của tôi) hoặc assigned (việc tôi giao).")])
            }
            let paging = try Paging(request)
            let found = try await accounts.client.withConnection { connection in
                try await TaskStore.list(
                    mine: view == "mine", of: caller.id, limit: paging.perPage, offset: paging.offset, now: Date(), on: connection, logger: logger)
            }
            return Page(items: found.items, total: found.total)
        }
        api.get("tasks/:id") { _, context -> TaskStore.View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "công việc")
            let task = try await accounts.client.withConnection { connection in
                try await TaskStore.find(id, now: Date(), on: connection, logger: logger)
            }
            // A task one may not see is answered like a missing one.
            guard let task, TaskRules.mayView(creator: task.creatorId, assignee: task.assigneeId, viewer: Self.person(caller)) else {
                throw ProblemDetails.notFound("Không tìm thấy công việc.")
            }
            return task
        }
        api.post("tasks/:id/progress") { request, context -> TaskStore.View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "công việc")
            let body = try await request.json(ProgressReport.self, context: context)
            let comment = VietnameseText.clean(body.comment ?? "")
            let problems = TaskRules.problems(percent: body.percent, comment: comment)
            guard problems.isEmpty else { throw ProblemDetails.invalid(problems.map { .init(field: $0.field, message: $0.message) }) }
            let now = Date()
            return try await DatabaseProblem.transaction(on: accounts.client, label: "công việc", logger: logger) { connection in
                guard let task = try await TaskStore.lock(id, on: connection, logger: logger),
                    TaskRules.mayView(creator: task.creator, assignee: task.assignee, viewer: Self.person(caller))
                else { throw ProblemDetails.notFound("Không tìm thấy công việc.") }
                guard task.assignee == caller.id else { throw ProblemDetails.forbidden("Chỉ người thực hiện mới cập nhật tiến độ công việc.") }
                try await TaskStore.report(id, percent: body.percent, comment: comment, by: caller.id, at: now, on: connection, logger: logger)
                if body.percent == 100, task.creator != caller.id, !task.done {
                    try await Self.tell(
                        [task.creator], title: "Công việc đã hoàn thành", body: "\(caller.fullName) đã hoàn thành một công việc bạn giao.",
                        task: id, on: connection, logger: logger)
                }
                guard let view = try await TaskStore.find(id, now: now, on: connection, logger: logger) else {
                    throw ProblemDetails.notFound("Không tìm thấy công việc.")
                }
                return view
            }
        }
    }

    func create(_ body: NewTask, by caller: Caller) async throws -> TaskStore.View {
        let title = VietnameseText.clean(body.title)
        let now = Date()
        let problems = TaskRules.problems(title: title, deadline: body.deadline, now: now)
        guard problems.isEmpty else { throw ProblemDetails.invalid(problems.map { .init(field: $0.field, message: $0.message) }) }
        let id = UUID()
        return try await DatabaseProblem.transaction(on: accounts.client, label: "công việc", logger: logger) { connection in
            try await Self.checkAssignment(by: caller, to: body.assigneeId, on: connection, logger: logger)
            if let incoming = body.incomingId,
                try await IncomingQueries.canSee(incoming, viewer: IncomingQueries.Viewer(caller: caller), on: connection, logger: logger) != true
            {
                throw ProblemDetails.invalid([.init(field: "incomingId", message: "Không tìm thấy văn bản đến này.")])
            }
            try await TaskStore.insert(
                id: id, title: title, assignee: body.assigneeId, deadline: body.deadline, incoming: body.incomingId, by: caller.id,
                on: connection, logger: logger)
            if body.assigneeId != caller.id {
                try await Self.tell([body.assigneeId], title: "Công việc mới được giao", body: "\(caller.fullName) giao: \(title)", task: id, on: connection, logger: logger)
            }
            guard let view = try await TaskStore.find(id, now: now, on: connection, logger: logger) else {
                throw ProblemDetails.notFound("Không tìm thấy công việc.")
            }
            return view
        }
    }

    /// Refuses an assignee who does not exist, has left, or is not the caller's to give work to.
    static func checkAssignment(
        by caller: Caller, to assigneeId: UUID, field: String = "assigneeId", on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard let assignee = try await UserStore.find(id: assigneeId, on: connection, logger: logger), assignee.active else {
            throw ProblemDetails.invalid([.init(field: field, message: "Người thực hiện không tồn tại hoặc đã nghỉ.")])
        }
        let units = try await UnitStore.all(on: connection, logger: logger)
        let parents = Dictionary(units.compactMap { unit in unit.parentId.map { (unit.id, $0) } }) { first, _ in first }
        let target = OfficePerson(id: assignee.id, unit: assignee.unitId, roles: Set(assignee.roles))
        guard TaskRules.mayAssign(by: person(caller), to: target, parents: parents) else {
            throw ProblemDetails.forbidden("Bạn chỉ giao việc cho người trong đơn vị mình phụ trách.")
        }
    }

    static func person(_ caller: Caller) -> OfficePerson { OfficePerson(caller: caller) }

    static func tell(_ people: [UUID], title: String, body: String, task: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await tell(people, title: title, body: body, link: "/cong-viec/\(task.uuidString.lowercased())", on: connection, logger: logger)
    }

    /// People told in the app, through Notify (the outbox, so only if this transaction commits).
    static func tell(_ people: [UUID], title: String, body: String, link: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard !people.isEmpty else { return }
        let request = NotificationRequestV1(requestId: UUID(), recipients: people, channels: [.inApp], title: title, body: body, link: link)
        try await Outbox.enqueue(
            OutboxMessage(
                type: NotificationRequestV1.messageType, exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey,
                body: try request.encoded()), on: connection, logger: logger)
    }
}

extension TaskStore.View: ResponseCodable {}
