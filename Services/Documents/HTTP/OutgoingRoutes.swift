import Contracts
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import VietnameseText

/// Văn bản đi over HTTP: drafting, the approval steps, the clerk's signed file, issuance and recall,
/// the boxes, the register and one document.
struct OutgoingRoutes {
    let accounts: Accounts
    let us: AgencyRef
    /// Our abbreviation in symbols (`UBND`, `LĐLĐ`).
    let agencyAbbreviation: String
    /// The agency signs digitally: a final file must pass the Signing service before issuance.
    let signaturesRequired: Bool
    var logger: Logger { accounts.logger }
    var client: PostgresClient { accounts.client }

    static let secrecyLevels = ["none", "confidential", "secret", "topSecret"]

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("outgoing") { request, context -> EditedResponse<Created> in
            let caller = try context.requireCaller()
            guard caller.has(.specialist) || caller.has(.unitLeader) || caller.has(.head) else { throw AccessDenied.missing(.specialist) }
            let body = try await request.json(DraftRequest.self, context: context, limit: 64 << 20)
            return EditedResponse(status: .created, response: Created(id: try await draft(body, by: caller, address: context.clientAddress)))
        }
        api.get("outgoing") { request, context -> Page<OutgoingQueries.Item> in
            let caller = try context.requireCaller()
            let p = request.uri.queryParameters
            let box = try p.get("box").map { name in
                guard let box = OutgoingQueries.Box(rawValue: name) else {
                    throw ProblemDetails.invalid([.init(field: "box", message: "Mục là drafts, review, returned, issuing hoặc issued.")])
                }
                return box
            }
            let paging = try Paging(request)
            return try await client.withConnection { connection in
                let found = try await OutgoingQueries.list(
                    box: box, query: p.get("q"), viewer: viewer(caller), registerId: p.get("registerId").flatMap(UUID.init(uuidString:)),
                    limit: paging.perPage, offset: paging.offset, on: connection, logger: logger)
                return Page(items: found.items, total: found.total)
            }
        }
        api.get("outgoing/register") { request, context -> RegisterPage in
            let caller = try context.requireCaller()
            guard caller.has(.clerk) || caller.has(.head) || caller.has(.admin) else { throw AccessDenied.missing(.clerk) }
            let p = request.uri.queryParameters
            guard let register = p.get("registerId").flatMap(UUID.init(uuidString:)) else {
                throw ProblemDetails.invalid([.init(field: "registerId", message: "Chọn sổ văn bản đi.")])
            }
            let year = p.get("year").flatMap(Int.init) ?? CalendarDate(Date()).year
            return RegisterPage(
                year: year,
                lines: try await client.withConnection {
                    try await OutgoingQueries.register(
                        register, year: year, secretSubjects: caller.has(.clerk) || caller.has(.head), on: $0, logger: logger)
                })
        }
        api.get("outgoing/:id") { _, context -> OutgoingDetail in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            return try await client.withConnection { connection in
                guard try await OutgoingQueries.canSee(id, viewer: viewer(caller), on: connection, logger: logger),
                    var detail = try await OutgoingDetail.load(id, on: connection, logger: logger),
                    let current = try await OutgoingStore.loadCase(id, on: connection, logger: logger)
                else { throw ProblemDetails.notFound("Không tìm thấy văn bản.") }
                detail.actions = Self.actions(for: actor(caller), on: current)
                return detail
            }
        }
        api.get("outgoing/:id/files/:file") { _, context -> Response in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            let file = try UUID.parameter("file", of: context, what: "tệp")
            return try await client.withConnection { connection in
                guard try await OutgoingQueries.canSee(id, viewer: viewer(caller), on: connection, logger: logger) else {
                    throw ProblemDetails.notFound("Không tìm thấy văn bản.")
                }
                let rows = try await connection.query(
                    "select name, content_type, data from outgoing_files where id = \(file) and document_id = \(id)", logger: logger)
                for try await (name, type, data) in rows.decode((String, String, ByteBuffer).self) {
                    return Response.file(named: name, type: type, data: data)
                }
                throw ProblemDetails.notFound("Không tìm thấy tệp.")
            }
        }
        api.post("outgoing/:id/actions") { request, context -> OutgoingDetail in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            let body = try await request.json(OutgoingActionRequest.self, context: context, limit: 64 << 20)
            return try await act(body, on: id, by: caller, address: context.clientAddress)
        }
        api.post("outgoing/:id/final") { request, context -> OutgoingDetail in
            let caller = try context.require(.clerk)
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            let body = try await request.json(FinalFileRequest.self, context: context, limit: 64 << 20)
            return try await attachFinal(body, on: id, by: caller)
        }
        api.post("outgoing/:id/issue") { request, context -> OutgoingDetail in
            let caller = try context.require(.clerk)
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            let body = try await request.json(IssueRequest.self, context: context)
            return try await issue(body, on: id, by: caller, address: context.clientAddress)
        }
        api.post("outgoing/:id/recall") { request, context -> OutgoingDetail in
            let caller = try context.require(.clerk)
            let id = try UUID.parameter("id", of: context, what: "văn bản")
            let body = try await request.json(RecallRequest.self, context: context)
            return try await recall(body, on: id, by: caller, address: context.clientAddress)
        }
    }

    // MARK: - Steps

    func draft(_ body: DraftRequest, by caller: Caller, address: String?) async throws -> UUID {
        var problems: [ProblemDetails.FieldError] = []
        let subject = VietnameseText.clean(body.subject)
        if subject.isEmpty { problems.append(.init(field: "subject", message: "Thiếu trích yếu văn bản.")) }
        let urgency = DocumentV1.Urgency(rawValue: body.urgency ?? "normal")
        if urgency == nil { problems.append(.init(field: "urgency", message: "Độ khẩn là normal, urgent, veryUrgent hoặc flash.")) }
        let secrecy = body.secrecy ?? "none"
        if !Self.secrecyLevels.contains(secrecy) {
            problems.append(.init(field: "secrecy", message: "Độ mật là none, confidential, secret hoặc topSecret."))
        }
        let flags = DeliveryFlags(names: body.flags ?? [])
        if flags == nil { problems.append(.init(field: "flags", message: "Tính chất văn bản là một trong: \(DeliveryFlags.names.joined(separator: ", ")).")) }
        let dueDate = body.dueDate.flatMap(CalendarDate.init)
        if body.dueDate != nil, dueDate == nil { problems.append(.init(field: "dueDate", message: "Hạn xử lý không hợp lệ (ví dụ 2026-12-31).")) }
        if body.files.isEmpty { problems.append(.init(field: "files", message: "Đính kèm tệp dự thảo.")) }
        if body.recipients.isEmpty { problems.append(.init(field: "recipients", message: "Chọn nơi nhận.")) }
        var files: [IncomingRecord.File] = []
        do {
            files = try IncomingRoutes.files(body.files, field: "files")
        } catch let problem as ProblemDetails {
            problems += problem.errors ?? []
        }
        guard problems.isEmpty, let urgency, let flags else { throw ProblemDetails.invalid(problems) }
        let unit = try await unitOf(caller)
        let draftFiles = files
        let id = UUID()
        return try await transaction { connection in
            guard let type = try await Self.documentType(body.documentTypeId, connection, logger) else {
                throw ProblemDetails.invalid([.init(field: "documentTypeId", message: "Loại văn bản không có trong danh mục.")])
            }
            var recipients: [OutgoingDraft.Recipient] = []
            var recipientProblems: [ProblemDetails.FieldError] = []
            for (index, wish) in body.recipients.enumerated() {
                let field = "recipients[\(index)]"
                let delivery: Delivery
                switch DeliveryRules.resolve(paper: wish.paper, typeAbbreviation: type.abbreviation, flags: flags, secret: secrecy != "none") {
                case .success(let value): delivery = value
                case .failure(let refusal):
                    recipientProblems.append(.init(field: "\(field).paper", message: refusal.message))
                    continue
                }
                if let unitId = wish.unitId {
                    guard let unit = try await UnitStore.find(unitId, on: connection, logger: logger) else {
                        recipientProblems.append(.init(field: "\(field).unitId", message: "Đơn vị nhận không tồn tại."))
                        continue
                    }
                    recipients.append(.init(kind: .unit, unitId: unitId, name: unit.name, delivery: delivery))
                } else if let userId = wish.userId {
                    guard let user = try await UserStore.find(id: userId, on: connection, logger: logger), user.active else {
                        recipientProblems.append(.init(field: "\(field).userId", message: "Người nhận không tồn tại hoặc đã nghỉ."))
                        continue
                    }
                    recipients.append(.init(kind: .user, userId: userId, name: user.fullName, delivery: delivery))
                } else if let code = wish.agencyCode {
                    guard let name = try await IncomingStore.agencies(on: connection, logger: logger)[code] else {
                        recipientProblems.append(.init(field: "\(field).agencyCode", message: "Cơ quan “\(code)” không có trong danh mục cơ quan."))
                        continue
                    }
                    recipients.append(.init(kind: .agency, agencyCode: code, name: name, delivery: delivery))
                } else {
                    recipientProblems.append(.init(field: field, message: "Chọn đơn vị, người hoặc cơ quan nhận."))
                }
            }
            guard recipientProblems.isEmpty else { throw ProblemDetails.invalid(recipientProblems) }
            if let fieldId = body.fieldId, try await Self.count("select count(*)::int from document_fields where id = \(fieldId) and active", connection, logger) == 0 {
                throw ProblemDetails.invalid([.init(field: "fieldId", message: "Lĩnh vực không có trong danh mục.")])
            }
            var related: [OutgoingDraft.Related] = []
            for (index, link) in (body.related ?? []).enumerated() {
                let visible: Bool
                switch link.kind {
                case "incoming":
                    visible = try await IncomingQueries.canSee(link.id, viewer: IncomingQueries.Viewer(caller: caller), on: connection, logger: logger)
                case "outgoing": visible = try await OutgoingQueries.canSee(link.id, viewer: viewer(caller), on: connection, logger: logger)
                default: visible = false
                }
                guard visible else {
                    throw ProblemDetails.invalid([.init(field: "related[\(index)]", message: "Không tìm thấy văn bản liên quan.")])
                }
                related.append(.init(kind: link.kind, id: link.id))
            }
            let draft = OutgoingDraft(
                id: id, author: caller.id, unit: unit, typeId: body.documentTypeId, typeName: type.name, typeAbbreviation: type.abbreviation,
                fieldId: body.fieldId, subject: subject, urgency: urgency, secrecy: secrecy, flags: flags, dueDate: dueDate, files: draftFiles,
                related: related, recipients: recipients)
            try await OutgoingStore.create(draft, on: connection, logger: logger)
            try await OutgoingStore.history(
                id, actor: (caller.id, caller.fullName), action: "drafted", comment: nil, at: Date(), on: connection, logger: logger)
            try await UsageLog.append(
                .outgoingDrafted, userID: caller.id, username: caller.username, target: id.uuidString.lowercased(), detail: subject,
                address: address, on: connection, logger: logger)
            return id
        }
    }

    func act(_ body: OutgoingActionRequest, on id: UUID, by caller: Caller, address: String?) async throws -> OutgoingDetail {
        let files = try IncomingRoutes.files(body.files ?? [], field: "files")
        return try await transaction { connection in
            guard try await OutgoingQueries.canSee(id, viewer: viewer(caller), on: connection, logger: logger),
                let current = try await OutgoingStore.loadCase(id, on: connection, logger: logger)
            else { throw ProblemDetails.notFound("Không tìm thấy văn bản.") }
            let command = try await command(body, files: files, connection)
            let transition = try Self.decide(OutgoingWorkflow.apply(command, by: actor(caller), to: current))
            let now = Date()
            if case .revise = command {
                let version = try await OutgoingStore.nextVersion(of: id, kind: "draft", on: connection, logger: logger)
                for file in files {
                    try await OutgoingStore.addFile(file, kind: "draft", version: version, to: id, by: caller.id, on: connection, logger: logger)
                }
            }
            try await OutgoingStore.save(transition, of: id, actor: (caller.id, caller.fullName), at: now, on: connection, logger: logger)
            try await UsageLog.append(
                .outgoingAction, userID: caller.id, username: caller.username, target: id.uuidString.lowercased(), detail: transition.action,
                address: address, on: connection, logger: logger)
            if let holder = transition.next.holder, holder != current.holder, holder != caller.id {
                try await notify([holder], title: transition.next.state == .returned ? "Dự thảo bị trả lại" : "Dự thảo văn bản đi chờ duyệt", id, connection)
            }
            return try await detail(id, caller, connection)
        }
    }

    /// The request as a workflow command, with the target leader's roles looked up.
    private func command(_ body: OutgoingActionRequest, files: [IncomingRecord.File], _ connection: PostgresConnection) async throws -> OutgoingCommand {
        func reviewer(required: Bool) async throws -> Reviewer? {
            guard let to = body.to else {
                if required { throw ProblemDetails.invalid([.init(field: "to", message: "Chọn lãnh đạo nhận dự thảo.")]) }
                return nil
            }
            guard let user = try await UserStore.find(id: to, on: connection, logger: logger), user.active, !user.locked else {
                throw ProblemDetails.invalid([.init(field: "to", message: "Người nhận không tồn tại hoặc đã bị khóa.")])
            }
            return Reviewer(id: user.id, roles: Set(user.roles))
        }
        let comment = body.comment.map(VietnameseText.clean).flatMap { $0.isEmpty ? nil : $0 }
        switch body.action {
        case "submit": return .submit(to: try await reviewer(required: true)!, comment: comment)
        case "forward": return .forward(to: try await reviewer(required: true)!, comment: comment)
        case "revise":
            guard !files.isEmpty else { throw ProblemDetails.invalid([.init(field: "files", message: "Đính kèm phiên bản mới của dự thảo.")]) }
            return .revise(comment: comment)
        case "return": return .returnForRevision(comment: comment ?? "")
        case "approve": return .approve(sendTo: try await reviewer(required: false), comment: comment)
        case "recall": return .recallDraft
        case "delete": return .delete
        default:
            throw ProblemDetails.invalid([
                .init(field: "action", message: "Thao tác là submit, forward, revise, return, approve, recall hoặc delete.")
            ])
        }
    }

    /// The clerk's signed final file; with digital signatures it goes to the Signing service, and
    /// issuance waits for the verdict.
    func attachFinal(_ body: FinalFileRequest, on id: UUID, by caller: Caller) async throws -> OutgoingDetail {
        guard let file = try IncomingRoutes.files([body.file], field: "file").first else {
            throw ProblemDetails.invalid([.init(field: "file", message: "Đính kèm tệp văn bản đã ký.")])
        }
        return try await transaction { connection in
            guard let current = try await OutgoingStore.loadCase(id, on: connection, logger: logger) else {
                throw ProblemDetails.notFound("Không tìm thấy văn bản.")
            }
            guard [.approved, .recalled].contains(current.state) else {
                throw ProblemDetails.conflict("Chỉ đính kèm tệp phát hành cho văn bản đã được duyệt, chưa phát hành.")
            }
            let version = try await OutgoingStore.nextVersion(of: id, kind: "final", on: connection, logger: logger)
            try await OutgoingStore.addFile(
                file, kind: "final", version: version, verification: signaturesRequired ? .pending : nil, to: id, by: caller.id,
                on: connection, logger: logger)
            if signaturesRequired {
                try await SignatureRequests.enqueue(file: file.id, bytes: file.bytes, sha256: file.sha256, on: connection, logger: logger)
            }
            try await OutgoingStore.history(
                id, actor: (caller.id, caller.fullName), action: "finalAttached", comment: file.name, at: Date(), on: connection, logger: logger)
            return try await detail(id, caller, connection)
        }
    }

    func issue(_ body: IssueRequest, on id: UUID, by caller: Caller, address: String?) async throws -> OutgoingDetail {
        let issuedAt: CalendarDate? = body.issuedAt.map { CalendarDate($0) } ?? CalendarDate(Date())
        guard let issuedAt else { throw ProblemDetails.invalid([.init(field: "issuedAt", message: "Ngày ban hành không hợp lệ (ví dụ 2026-11-25).")]) }
        let signer = VietnameseText.clean(body.signerName)
        guard !signer.isEmpty else { throw ProblemDetails.invalid([.init(field: "signerName", message: "Ghi tên người ký.")]) }
        return try await transaction { connection in
            guard let current = try await OutgoingStore.loadCase(id, on: connection, logger: logger) else {
                throw ProblemDetails.notFound("Không tìm thấy văn bản.")
            }
            let transition = try Self.decide(OutgoingWorkflow.apply(.issue, by: actor(caller), to: current))
            guard try await Self.count("select count(*)::int from registers where id = \(body.registerId) and kind = 'outgoing' and active", connection, logger) > 0
            else { throw ProblemDetails.invalid([.init(field: "registerId", message: "Sổ văn bản đi không tồn tại.")]) }
            let final = try await OutgoingStore.finalVerdict(of: id, on: connection, logger: logger)
            let overridden = try Self.decide(
                SignatureGate.check(required: signaturesRequired, verdict: final?.verdict, override: body.overrideSignature ?? false))
            guard let finalFile = final?.file else {
                throw ProblemDetails.invalid([.init(field: "file", message: "Đính kèm tệp văn bản đã ký trước khi phát hành.")])
            }
            let facts = try await Self.facts(id, connection, logger)
            let number: Int
            if let kept = current.number {
                number = kept
            } else {
                number = try await OutgoingIssuance.nextNumber(register: body.registerId, year: issuedAt.year, on: connection, logger: logger)
            }
            let notation = DocumentSymbol.notation(typeAbbreviation: facts.typeAbbreviation, agency: agencyAbbreviation, draftingUnit: facts.unitAbbreviation)
            let exchangeId = UUID()
            let now = Date()
            try await connection.query(
                """
                update outgoing_documents set register_id = coalesce(register_id, \(body.registerId)),
                    issue_year = coalesce(issue_year, \(issuedAt.year)), number = \(number), notation = \(notation),
                    issued_at = \(issuedAt.description)::date, issued_by = \(caller.id), signer_name = \(signer),
                    signer_position = \(VietnameseText.clean(body.signerPosition ?? "")), exchange_id = \(exchangeId),
                    issue_count = issue_count + 1,
                    search_text = search_text || ' ' || \(VietnameseText.searchKey(DocumentSymbol.symbol(number: number, notation: notation)))
                where id = \(id)
                """, logger: logger)
            try await OutgoingStore.save(transition, of: id, actor: (caller.id, caller.fullName), at: now, on: connection, logger: logger)
            let files = try await Self.file(finalFile, connection, logger)
            try await OutgoingIssuance.deliver(
                OutgoingIssuance.Facts(
                    id: id, number: number, notation: notation, typeAbbreviation: facts.typeAbbreviation, subject: facts.subject,
                    urgency: facts.urgency, secret: facts.secret, dueDate: facts.dueDate, issuedAt: issuedAt, signerName: signer,
                    signerPosition: VietnameseText.clean(body.signerPosition ?? ""), exchangeId: exchangeId),
                files: files, clerk: caller, us: us, at: now, on: connection, logger: logger)
            if overridden {
                try await OutgoingStore.history(
                    id, actor: (caller.id, caller.fullName), action: "signatureOverride",
                    comment: "Phát hành khi chữ ký số chưa xác định được", at: now, on: connection, logger: logger)
                try await UsageLog.append(
                    .signatureOverride, userID: caller.id, username: caller.username, target: id.uuidString.lowercased(),
                    detail: DocumentSymbol.symbol(number: number, notation: notation), address: address, on: connection, logger: logger)
            }
            try await UsageLog.append(
                .outgoingIssued, userID: caller.id, username: caller.username, target: id.uuidString.lowercased(),
                detail: DocumentSymbol.symbol(number: number, notation: notation), address: address, on: connection, logger: logger)
            return try await detail(id, caller, connection)
        }
    }

    func recall(_ body: RecallRequest, on id: UUID, by caller: Caller, address: String?) async throws -> OutgoingDetail {
        let reason = VietnameseText.clean(body.reason)
        guard !reason.isEmpty else { throw ProblemDetails.invalid([.init(field: "reason", message: "Ghi lý do thu hồi.")]) }
        return try await transaction { connection in
            guard let current = try await OutgoingStore.loadCase(id, on: connection, logger: logger) else {
                throw ProblemDetails.notFound("Không tìm thấy văn bản.")
            }
            let acted = try await OutgoingIssuance.recipientsWhoActed(id, on: connection, logger: logger)
            let transition = try Self.decide(OutgoingWorkflow.apply(.recallIssued(recipientsActed: acted), by: actor(caller), to: current))
            var exchangeId = UUID()
            for try await value in try await connection.query("select exchange_id from outgoing_documents where id = \(id)", logger: logger)
                .decode(UUID?.self)
            { if let value { exchangeId = value } }
            let now = Date()
            try await OutgoingIssuance.recall(id, exchangeId: exchangeId, reason: reason, clerk: caller, us: us, at: now, on: connection, logger: logger)
            var recorded = transition
            recorded.comment = reason
            try await OutgoingStore.save(recorded, of: id, actor: (caller.id, caller.fullName), at: now, on: connection, logger: logger)
            try await UsageLog.append(
                .outgoingRecalled, userID: caller.id, username: caller.username, target: id.uuidString.lowercased(), detail: reason,
                address: address, on: connection, logger: logger)
            return try await detail(id, caller, connection)
        }
    }

    // MARK: - Helpers

    func viewer(_ caller: Caller) -> OutgoingQueries.Viewer {
        OutgoingQueries.Viewer(caller: caller)
    }

    func actor(_ caller: Caller) -> OutgoingActor { OutgoingActor(id: caller.id, roles: caller.roles) }

    private func unitOf(_ caller: Caller) async throws -> UUID {
        if let unit = caller.unit?.id { return unit }
        guard let user = try await client.withConnection({ try await UserStore.find(id: caller.id, on: $0, logger: logger) }) else {
            throw AccessDenied.notLoggedIn
        }
        return user.unitId
    }

    private func detail(_ id: UUID, _ caller: Caller, _ connection: PostgresConnection) async throws -> OutgoingDetail {
        guard var detail = try await OutgoingDetail.load(id, on: connection, logger: logger),
            let current = try await OutgoingStore.loadCase(id, on: connection, logger: logger)
        else { throw ProblemDetails.notFound("Không tìm thấy văn bản.") }
        detail.actions = Self.actions(for: actor(caller), on: current)
        return detail
    }

    private func notify(_ people: [UUID], title: String, _ id: UUID, _ connection: PostgresConnection) async throws {
        var subject = ""
        for try await value in try await connection.query("select subject from outgoing_documents where id = \(id)", logger: logger).decode(String.self) {
            subject = value
        }
        let notice = NotificationRequestV1(
            requestId: UUID(), recipients: people, channels: [.inApp], title: title, body: subject, link: "/van-ban-di/\(id.uuidString.lowercased())")
        try await Outbox.enqueue(
            OutboxMessage(
                type: NotificationRequestV1.messageType, exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey,
                body: try notice.encoded()), on: connection, logger: logger)
    }

    /// The steps the actor could take now: every command the workflow does not refuse as not theirs.
    static func actions(for actor: OutgoingActor, on current: OutgoingCase) -> [String] {
        let leader = Reviewer(id: UUID(), roles: [.unitLeader, .head])
        let candidates: [(String, OutgoingCommand)] = [
            ("submit", .submit(to: leader, comment: nil)), ("forward", .forward(to: leader, comment: nil)), ("revise", .revise(comment: nil)),
            ("return", .returnForRevision(comment: "x")), ("approve", .approve(sendTo: leader, comment: nil)), ("recall", .recallDraft),
            ("delete", .delete), ("issue", .issue), ("recallIssued", .recallIssued(recipientsActed: [])),
        ]
        return candidates.compactMap { name, command in
            if case .success = OutgoingWorkflow.apply(command, by: actor, to: current) { return name }
            return nil
        }
    }

    static func decide<T>(_ result: Result<T, WorkflowRefusal>) throws -> T {
        switch result {
        case .success(let value): return value
        case .failure(let refusal): throw IncomingRoutes.problem(refusal)
        }
    }

    private static func documentType(_ id: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws -> DocumentType? {
        for try await (name, abbreviation, copy) in try await connection.query(
            "select name, abbreviation, is_copy from document_types where id = \(id) and active", logger: logger
        ).decode((String, String?, Bool).self) { return DocumentType(name: name, abbreviation: abbreviation, isCopy: copy) }
        return nil
    }

    struct Facts {
        var typeAbbreviation: String?
        var unitAbbreviation: String?
        var subject: String
        var urgency: DocumentV1.Urgency
        var secret: Bool
        var dueDate: CalendarDate?
    }

    private static func facts(_ id: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws -> Facts {
        let rows = try await connection.query(
            """
            select d.type_abbreviation, u.abbreviation, d.subject, d.urgency, d.secret, d.due_date::text
            from outgoing_documents d join units u on u.id = d.unit_id where d.id = \(id)
            """, logger: logger)
        for try await (type, unit, subject, urgency, secret, due) in rows.decode((String?, String, String, String, Bool, String?).self) {
            return Facts(
                typeAbbreviation: type, unitAbbreviation: unit, subject: subject, urgency: DocumentV1.Urgency(rawValue: urgency) ?? .normal,
                secret: secret, dueDate: due.flatMap(CalendarDate.init))
        }
        throw ProblemDetails.notFound("Không tìm thấy văn bản.")
    }

    private static func file(_ id: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws -> [IncomingRecord.File] {
        var files: [IncomingRecord.File] = []
        for try await (name, type, data, sha) in try await connection.query(
            "select name, content_type, data, sha256 from outgoing_files where id = \(id)", logger: logger
        ).decode((String, String, ByteBuffer, String).self) {
            files.append(IncomingRecord.File(id: id, name: name, contentType: type, bytes: Array(data.readableBytesView), sha256: sha))
        }
        return files
    }

    private static func count(_ query: PostgresQuery, _ connection: PostgresConnection, _ logger: Logger) async throws -> Int {
        for try await value in try await connection.query(query, logger: logger).decode(Int.self) { return value }
        return 0
    }

    private func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await DatabaseProblem.transaction(on: client, label: "văn bản", logger: logger, body)
    }
}

/// Sổ văn bản đi of one year.
struct RegisterPage: ResponseCodable {
    var year: Int
    var lines: [OutgoingQueries.RegisterLine]
}
