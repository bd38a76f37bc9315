import Contracts
import Crypto
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import VietnameseText

/// Văn bản đến over HTTP: the clerk's registration of paper documents, the boxes, one document, its
/// files, the workflow steps, and search.
struct IncomingRoutes {
    let accounts: Accounts
    let us: AgencyRef
    var logger: Logger { accounts.logger }
    var client: PostgresClient { accounts.client }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("incoming") { request, context -> EditedResponse<Registered> in
            let caller = try context.require(.clerk)
            let body = try await request.json(PaperRegistration.self, context: context, limit: 64 << 20)
            return EditedResponse(status: .created, response: try await register(body, by: caller, address: context.clientAddress))
        }
        api.get("incoming") { request, context -> Page<IncomingQueries.Item> in
            let caller = try context.requireCaller()
            let box = IncomingQueries.Box(rawValue: request.uri.queryParameters.get("box") ?? "pending") ?? .pending
            let paging = try Paging(request)
            let filter = try Self.filter(request)
            return try await client.withConnection { connection in
                let viewer = try await viewer(caller, connection)
                if let q = request.uri.queryParameters.get("q"), !q.trimmingCharacters(in: .whitespaces).isEmpty {
                    let found = try await IncomingQueries.search(
                        q, viewer: viewer, filter: filter, limit: paging.perPage, offset: paging.offset, on: connection, logger: logger)
                    return Page(items: found.items, total: found.total)
                }
                let found = try await IncomingQueries.list(
                    box: box, viewer: viewer, isClerk: caller.has(.clerk), filter: filter, limit: paging.perPage, offset: paging.offset,
                    on: connection, logger: logger)
                return Page(items: found.items, total: found.total)
            }
        }
        api.get("incoming/counts") { _, context -> Counts in
            let caller = try context.requireCaller()
            return Counts(
                counts: try await client.withConnection { connection in
                    try await IncomingQueries.counts(viewer: try await viewer(caller, connection), isClerk: caller.has(.clerk), on: connection, logger: logger)
                })
        }
        api.get("search") { request, context -> Page<IncomingQueries.Item> in
            let caller = try context.requireCaller()
            let q = request.uri.queryParameters.get("q") ?? ""
            guard !q.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ProblemDetails.invalid([.init(field: "q", message: "Nhập từ khóa để tra cứu.")])
            }
            let paging = try Paging(request)
            let filter = try Self.filter(request)
            return try await client.withConnection { connection in
                let found = try await IncomingQueries.search(
                    q, viewer: try await viewer(caller, connection), filter: filter, limit: paging.perPage, offset: paging.offset,
                    on: connection, logger: logger)
                return Page(items: found.items, total: found.total)
            }
        }
        api.get("incoming/:id") { _, context -> IncomingDetail in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            return try await client.withConnection { connection in
                guard try await IncomingQueries.canSee(id, viewer: try await viewer(caller, connection), on: connection, logger: logger),
                    var detail = try await IncomingDetail.load(id, on: connection, logger: logger),
                    let current = try await IncomingStore.loadCase(id, on: connection, logger: logger)
                else { throw ProblemDetails.notFound("Không tìm thấy văn bản.") }
                detail.actions = Self.actions(for: actor(caller), on: current)
                return detail
            }
        }
        api.get("incoming/:id/attachments/:file") { _, context -> Response in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            let file = try UUID.parameter("file", of: context, what: "tệp")
            return try await client.withConnection { connection in
                guard try await IncomingQueries.canSee(id, viewer: try await viewer(caller, connection), on: connection, logger: logger) else {
                    throw ProblemDetails.notFound("Không tìm thấy văn bản.")
                }
                let rows = try await connection.query(
                    "select name, content_type, data from incoming_attachments where id = \(file) and document_id = \(id)", logger: logger)
                for try await (name, type, data) in rows.decode((String, String, ByteBuffer).self) {
                    return Response.file(named: name, type: type, data: data)
                }
                throw ProblemDetails.notFound("Không tìm thấy tệp.")
            }
        }
        api.post("incoming/:id/actions") { request, context -> IncomingDetail in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            let body = try await request.json(ActionRequest.self, context: context)
            return try await act(body, on: id, by: caller, address: context.clientAddress)
        }
        api.get("rejected-messages") { request, context -> Page<RejectedMessage> in
            let caller = try context.requireCaller()
            guard caller.has(.admin) || caller.has(.clerk) else { throw AccessDenied.missing(.clerk) }
            let paging = try Paging(request)
            return try await client.withConnection { connection in
                var items: [RejectedMessage] = []
                let rows = try await connection.query(
                    """
                    select id, received_at, message_id, broker_user, sender_code, document_id, reason, convert_from(body, 'UTF8')
                    from rejected_messages order by received_at desc limit \(paging.perPage) offset \(paging.offset)
                    """, logger: logger)
                for try await (rid, at, message, user, sender, document, reason, raw) in rows.decode(
                    (UUID, Date, String?, String?, String?, String?, String, String).self)
                {
                    items.append(
                        RejectedMessage(
                            id: rid, receivedAt: at, messageId: message, brokerUser: user, senderCode: sender, documentId: document,
                            reason: reason, body: raw))
                }
                var total = 0
                for try await value in try await connection.query("select count(*)::int from rejected_messages", logger: logger).decode(Int.self) {
                    total = value
                }
                return Page(items: items, total: total)
            }
        }
    }

    // MARK: - Steps

    func register(_ body: PaperRegistration, by caller: Caller, address: String?) async throws -> Registered {
        var problems: [ProblemDetails.FieldError] = []
        let subject = VietnameseText.clean(body.subject)
        if subject.isEmpty { problems.append(.init(field: "subject", message: "Thiếu trích yếu văn bản.")) }
        let sender = VietnameseText.clean(body.senderName)
        if sender.isEmpty { problems.append(.init(field: "senderName", message: "Thiếu tên cơ quan gửi.")) }
        let issuedAt = CalendarDate(body.issuedAt)
        if issuedAt == nil { problems.append(.init(field: "issuedAt", message: "Ngày ban hành không hợp lệ (ví dụ 2026-11-25).")) }
        if let issuedAt, issuedAt > CalendarDate(Date()) {
            problems.append(.init(field: "issuedAt", message: "Ngày ban hành ở tương lai."))
        }
        if body.documentType.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "documentType", message: "Thiếu loại văn bản."))
        }
        if body.attachments.isEmpty { problems.append(.init(field: "attachments", message: "Đính kèm bản quét của văn bản giấy.")) }
        var files: [IncomingRecord.File] = []
        do {
            files = try Self.files(body.attachments, field: "attachments")
        } catch let problem as ProblemDetails {
            problems += problem.errors ?? []
        }
        let urgency = DocumentV1.Urgency(rawValue: body.urgency ?? "normal")
        if urgency == nil { problems.append(.init(field: "urgency", message: "Độ khẩn là normal, urgent, veryUrgent hoặc flash.")) }
        guard problems.isEmpty, let issuedAt, let urgency else { throw ProblemDetails.invalid(problems) }
        let scans = files
        return try await transaction { connection in
            let registerId: UUID
            if let chosen = body.registerId {
                let rows = try await connection.query(
                    "select 1 from registers where id = \(chosen) and kind = 'incoming' and active", logger: logger)
                var ok = false
                for try await _ in rows { ok = true }
                guard ok else { throw ProblemDetails.invalid([.init(field: "registerId", message: "Sổ văn bản đến không tồn tại.")]) }
                registerId = chosen
            } else if let fallback = try await IncomingStore.defaultIncomingRegister(on: connection, logger: logger) {
                registerId = fallback
            } else {
                throw ProblemDetails.invalid([.init(field: "registerId", message: "Chưa có sổ văn bản đến nào.")])
            }
            let record = IncomingRecord(
                id: UUID(), registerId: registerId, source: .paper, senderCode: nil, senderName: sender, senderDocumentId: nil,
                contentHash: nil, number: body.number, notation: VietnameseText.clean(body.notation ?? ""), issuedAt: issuedAt,
                issuedPlace: VietnameseText.clean(body.issuedPlace ?? ""), documentType: VietnameseText.clean(body.documentType),
                subject: subject, signerName: VietnameseText.clean(body.signerName ?? ""),
                signerPosition: VietnameseText.clean(body.signerPosition ?? ""), urgency: urgency,
                paperCopyFollows: false, senderDueDate: body.dueDate.flatMap(CalendarDate.init), registeredBy: caller.id, attachments: scans)
            let now = Date()
            try await IncomingStore.store(record, at: now, on: connection, logger: logger)
            let number = try await IncomingStore.number(record.id, on: connection, logger: logger)
            try await IncomingStore.history(
                record.id, actor: (caller.id, caller.fullName), action: "registered", comment: "Số đến \(number)", at: now,
                on: connection, logger: logger)
            try await UsageLog.append(
                .incomingRegistered, userID: caller.id, username: caller.username, target: record.id.uuidString.lowercased(),
                detail: "số đến \(number): \(subject)", address: address, on: connection, logger: logger)
            return Registered(id: record.id, arrivalNumber: number)
        }
    }

    func act(_ body: ActionRequest, on id: UUID, by caller: Caller, address: String?) async throws -> IncomingDetail {
        let files = try Self.files(body.attachments ?? [], field: "attachments")
        return try await transaction { connection in
            guard try await IncomingQueries.canSee(id, viewer: try await viewer(caller, connection), on: connection, logger: logger),
                let current = try await IncomingStore.loadCase(id, on: connection, logger: logger)
            else { throw ProblemDetails.notFound("Không tìm thấy văn bản.") }
            let now = Date()
            let command = try await command(body, connection)
            let transition: IncomingWorkflow.Transition
            switch IncomingWorkflow.apply(command, by: actor(caller), to: current, at: now) {
            case .success(let value): transition = value
            case .failure(let refusal): throw Self.problem(refusal)
            }
            try await IncomingStore.save(transition, of: id, actor: (caller.id, caller.fullName), at: now, on: connection, logger: logger)
            try await sideEffects(
                of: command, transition: transition, document: id, by: caller, current: current, attachments: files, connection)
            try await UsageLog.append(
                .incomingAction, userID: caller.id, username: caller.username, target: id.uuidString.lowercased(),
                detail: transition.action, address: address, on: connection, logger: logger)
            if !transition.statuses.isEmpty, let origin = try await IncomingStore.origin(of: id, on: connection, logger: logger) {
                try await StatusReplies.send(
                    transition.statuses, documentId: origin.documentId, asSent: origin.asSent, to: AgencyRef(code: origin.code, name: origin.name), from: us,
                    note: transition.statuses.contains(.rejected) ? transition.comment : nil, at: now, on: connection, logger: logger)
            }
            guard var detail = try await IncomingDetail.load(id, on: connection, logger: logger) else {
                throw ProblemDetails.notFound("Không tìm thấy văn bản.")
            }
            detail.actions = Self.actions(for: actor(caller), on: transition.next)
            return detail
        }
    }

    /// The request as a workflow command, with units resolved to their leaders.
    private func command(_ body: ActionRequest, _ connection: PostgresConnection) async throws -> IncomingCommand {
        switch body.action {
        case "forward":
            var recipients: [ForwardRecipient] = []
            for (index, target) in (body.to ?? []).enumerated() {
                guard let role = HandlingRole(rawValue: target.role) else {
                    throw ProblemDetails.invalid([.init(field: "to[\(index)].role", message: "Vai trò là main, co hoặc info.")])
                }
                if let userId = target.userId {
                    guard let user = try await UserStore.find(id: userId, on: connection, logger: logger), user.active, !user.locked else {
                        throw ProblemDetails.invalid([.init(field: "to[\(index)].userId", message: "Người nhận không tồn tại hoặc đã bị khóa.")])
                    }
                    recipients.append(ForwardRecipient(user: user.id, unit: nil, role: role, userRoles: Set(user.roles)))
                } else if let unitId = target.unitId {
                    guard let unit = try await UnitStore.find(unitId, on: connection, logger: logger) else {
                        throw ProblemDetails.invalid([.init(field: "to[\(index)].unitId", message: "Đơn vị không tồn tại.")])
                    }
                    guard let leader = try await UnitStore.leaderIds(of: unitId, on: connection, logger: logger).first,
                        let user = try await UserStore.find(id: leader, on: connection, logger: logger)
                    else {
                        throw ProblemDetails.invalid([.init(field: "to[\(index)].unitId", message: "Đơn vị “\(unit.name)” chưa có lãnh đạo nhận văn bản.")])
                    }
                    recipients.append(ForwardRecipient(user: user.id, unit: unitId, role: role, userRoles: Set(user.roles)))
                } else {
                    throw ProblemDetails.invalid([.init(field: "to[\(index)]", message: "Chọn người hoặc đơn vị nhận.")])
                }
            }
            return .forward(to: recipients, instruction: body.comment, deadline: body.deadline)
        case "finish": return .finish(note: body.comment ?? "")
        case "complete": return .completePart(note: body.comment)
        case "saveToDossier": return .saveToDossier(name: VietnameseText.clean(body.dossier ?? ""))
        case "createTask":
            return .createTask(title: VietnameseText.clean(body.title ?? ""), assignee: body.assignee ?? UUID(), deadline: body.deadline)
        case "recall": return .recallForward
        case "returnToSender": return .returnToSender(reason: VietnameseText.clean(body.comment ?? ""))
        default:
            throw ProblemDetails.invalid([
                .init(field: "action", message: "Thao tác là forward, finish, complete, saveToDossier, createTask, recall hoặc returnToSender.")
            ])
        }
    }

    /// What a step writes besides the workflow: the dossier, the task, notices to new recipients.
    private func sideEffects(
        of command: IncomingCommand, transition: IncomingWorkflow.Transition, document id: UUID, by caller: Caller,
        current: IncomingCase, attachments: [IncomingRecord.File], _ connection: PostgresConnection
    ) async throws {
        switch command {
        case .saveToDossier(let name):
            // Into the caller's own top-level dossier of that name, made if there is none.
            let rows = try await connection.query(
                """
                with made as (
                    insert into dossiers (id, owner_id, name) values (\(UUID()), \(caller.id), \(name))
                    on conflict (coalesce(unit_id, owner_id), coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))
                    do update set updated_at = now() returning id)
                select id from made
                """, logger: logger)
            for try await dossier in rows.decode(UUID.self) {
                try await connection.query(
                    """
                    insert into dossier_entries (id, dossier_id, kind, item_id, added_by) values (\(UUID()), \(dossier), 'incoming', \(id), \(caller.id))
                    on conflict (dossier_id, kind, item_id) do nothing
                    """, logger: logger)
            }
        case .createTask(let title, let assignee, let deadline):
            // The same rules as `POST /api/v1/tasks`: a title and deadline that make sense, for someone the
            // caller may give work to.
            let problems = TaskRules.problems(title: title, deadline: deadline, now: Date())
            guard problems.isEmpty else { throw ProblemDetails.invalid(problems.map { .init(field: $0.field, message: $0.message) }) }
            try await TaskRoutes.checkAssignment(by: caller, to: assignee, field: "assignee", on: connection, logger: logger)
            let task = UUID()
            try await TaskStore.insert(id: task, title: title, assignee: assignee, deadline: deadline, incoming: id, by: caller.id, on: connection, logger: logger)
            if assignee != caller.id {
                try await TaskRoutes.tell([assignee], title: "Công việc mới được giao", body: "\(caller.fullName) giao: \(title)", task: task, on: connection, logger: logger)
            }
        case .forward:
            for file in attachments {
                try await connection.query(
                    """
                    insert into incoming_attachments (id, document_id, name, content_type, size, sha256, data, added_by)
                    values (\(file.id), \(id), \(file.name), \(file.contentType), \(file.bytes.count), \(file.sha256),
                            \(ByteBuffer(bytes: file.bytes)), \(caller.id))
                    """, logger: logger)
            }
            let before = Set(current.assignments.map(\.id))
            let added = transition.next.assignments.filter { !before.contains($0.id) }
            guard !added.isEmpty else { return }
            var subject = ""
            for try await value in try await connection.query("select subject from incoming_documents where id = \(id)", logger: logger)
                .decode(String.self)
            { subject = value }
            let notice = NotificationRequestV1(
                requestId: UUID(), recipients: added.map(\.assignee), channels: [.inApp], title: "Văn bản đến cần xử lý",
                body: subject, link: "/van-ban-den/\(id.uuidString.lowercased())")
            try await Outbox.enqueue(
                OutboxMessage(
                    type: NotificationRequestV1.messageType, exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey,
                    body: try notice.encoded()), on: connection, logger: logger)
        default:
            break
        }
    }

    // MARK: - Helpers

    func viewer(_ caller: Caller, _ connection: PostgresConnection) async throws -> IncomingQueries.Viewer {
        IncomingQueries.Viewer(caller: caller)
    }

    func actor(_ caller: Caller) -> IncomingActor { IncomingActor(id: caller.id, roles: caller.roles) }

    /// The steps the actor could take now: every command the workflow does not refuse as not theirs.
    static func actions(for actor: IncomingActor, on current: IncomingCase) -> [String] {
        let probe = Date()
        let someone = ForwardRecipient(user: UUID(), unit: nil, role: .main, userRoles: [.head, .unitLeader])
        let candidates: [(String, IncomingCommand)] = [
            ("forward", .forward(to: [someone], instruction: nil, deadline: nil)), ("finish", .finish(note: "x")),
            ("complete", .completePart(note: nil)), ("saveToDossier", .saveToDossier(name: "x")),
            ("createTask", .createTask(title: "x", assignee: actor.id, deadline: nil)), ("recall", .recallForward),
            ("returnToSender", .returnToSender(reason: "x")),
        ]
        return candidates.compactMap { name, command in
            if case .success = IncomingWorkflow.apply(command, by: actor, to: current, at: probe) { return name }
            return nil
        }
    }

    /// Files of a request, decoded and hashed; a bad one is a 422 naming it.
    static func files(_ files: [PaperRegistration.File], field: String) throws -> [IncomingRecord.File] {
        var decoded: [IncomingRecord.File] = []
        var problems: [ProblemDetails.FieldError] = []
        for (index, file) in files.enumerated() {
            guard let bytes = Data(base64Encoded: file.data).map(Array.init), !bytes.isEmpty,
                !file.name.trimmingCharacters(in: .whitespaces).isEmpty
            else {
                problems.append(.init(field: "\(field)[\(index)]", message: "Tệp \"\(file.name)\" không có tên hoặc nội dung không hợp lệ."))
                continue
            }
            let sha = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            decoded.append(.init(id: UUID(), name: VietnameseText.nfc(file.name), contentType: file.contentType, bytes: bytes, sha256: sha))
        }
        if !problems.isEmpty { throw ProblemDetails.invalid(problems) }
        return decoded
    }

    static func problem(_ refusal: WorkflowRefusal) -> ProblemDetails {
        switch refusal.kind {
        case .forbidden:
            ProblemDetails(type: "https://ioffice.example/problems/forbidden", title: "Không có quyền", status: .forbidden, detail: refusal.message)
        case .invalid: ProblemDetails.invalid([.init(field: "", message: refusal.message)])
        case .conflict: ProblemDetails.conflict(refusal.message)
        }
    }

    static func filter(_ request: Request) throws -> IncomingQueries.Filter {
        let p = request.uri.queryParameters
        return IncomingQueries.Filter(
            registerId: p.get("registerId").flatMap(UUID.init(uuidString:)), documentType: p.get("documentType"), sender: p.get("sender"),
            receivedFrom: try p.get("from").map { try UsageLogRoutes.date($0, field: "from") },
            receivedTo: try p.get("to").map { try UsageLogRoutes.date($0, field: "to") }, urgency: p.get("urgency"),
            overdueOnly: p.get("overdue") == "true")
    }

    private func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await DatabaseProblem.transaction(on: client, label: "văn bản", logger: logger, body)
    }
}
