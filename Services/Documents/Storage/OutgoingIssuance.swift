import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Issuing an outgoing document: its number in the register, and delivery to every recipient. Runs
/// inside the transaction that moves the document to `issued`: numbered and delivered, or neither.
enum OutgoingIssuance {
    /// What the clerk fills in.
    struct Issue: Sendable {
        var register: UUID
        var issuedAt: CalendarDate
        var signerName: String
        var signerPosition: String
    }

    /// The document's facts delivery needs.
    struct Facts: Sendable {
        var id: UUID
        var number: Int
        var notation: String
        var typeAbbreviation: String?
        var subject: String
        var urgency: DocumentV1.Urgency
        var secret: Bool
        var dueDate: CalendarDate?
        var issuedAt: CalendarDate
        var signerName: String
        var signerPosition: String
        var exchangeId: UUID
    }

    /// The next number of `register` for `year`. The counter row stays locked until commit, so
    /// concurrent issuances queue here and a rollback gives the number back: no gap, no repeat.
    static func nextNumber(register: UUID, year: Int, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            """
            insert into register_counters (register_id, year, last_number) values (\(register), \(year), 1)
            on conflict (register_id, year) do update set last_number = register_counters.last_number + 1
            returning last_number
            """, logger: logger)
        for try await number in rows.decode(Int.self) { return number }
        throw IncomingStore.NotStored()
    }

    /// Internal recipients get an incoming copy routed to them at once; other agencies a `document.v1`
    /// through the outbox (never for a secret document); paper-only recipients nothing electronic.
    static func deliver(
        _ facts: Facts, files: [IncomingRecord.File], clerk: Caller, us: AgencyRef, at now: Date, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            "insert into outgoing_exchanges (exchange_id, document_id, issue_count) select \(facts.exchangeId), id, issue_count from outgoing_documents where id = \(facts.id)",
            logger: logger)
        let recipients = try await OutgoingQueries.recipients(of: facts.id, on: connection, logger: logger)
        let agencies = recipients.filter { $0.kind == "agency" && $0.delivery != Delivery.paperOnly.rawValue && !facts.secret }
        for recipient in recipients {
            guard recipient.delivery != Delivery.paperOnly.rawValue, !facts.secret else {
                try await setStatus(recipient.id, "paper", incoming: nil, at: now, on: connection, logger: logger)
                continue
            }
            switch recipient.kind {
            case "agency":
                guard let code = recipient.agencyCode else { continue }
                let document = DocumentV1(
                    documentId: facts.exchangeId, from: us, to: agencies.compactMap { r in r.agencyCode.map { AgencyRef(code: $0, name: r.name) } },
                    number: facts.number, notation: facts.notation, issuedAt: facts.issuedAt, issuedPlace: "",
                    documentType: facts.typeAbbreviation ?? "CV", subject: facts.subject,
                    signer: .init(name: facts.signerName, position: facts.signerPosition), urgency: facts.urgency, secrecy: "none",
                    paperCopyFollows: recipient.delivery == Delivery.electronicAndPaper.rawValue, dueDate: facts.dueDate,
                    attachments: files.map { DocumentV1.Attachment(name: $0.name, contentType: $0.contentType, bytes: $0.bytes) })
                try await Outbox.enqueue(
                    OutboxMessage(
                        type: DocumentV1.messageType, exchange: Routes.interAgencyExchange, routingKey: Routes.document(to: code),
                        body: try document.encoded()), on: connection, logger: logger)
                // No time of ours: the agency's own statuses are ordered by the times it gives them.
                try await setStatus(recipient.id, "sent", incoming: nil, at: nil, on: connection, logger: logger)
            default:
                let copy = try await internalCopy(facts, to: recipient, files: files, clerk: clerk, us: us, at: now, on: connection, logger: logger)
                try await setStatus(recipient.id, "received", incoming: copy, at: now, on: connection, logger: logger)
            }
        }
    }

    /// The document as an incoming one of the recipient unit (reaching its leader) or person, routed
    /// by the issuing clerk.
    private static func internalCopy(
        _ facts: Facts, to recipient: OutgoingQueries.Recipient, files: [IncomingRecord.File], clerk: Caller, us: AgencyRef, at now: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> UUID {
        let target: ForwardRecipient
        if let unit = recipient.unitId {
            guard let leader = try await UnitStore.leaderIds(of: unit, on: connection, logger: logger).first,
                let user = try await UserStore.find(id: leader, on: connection, logger: logger)
            else {
                throw ProblemDetails.invalid([.init(field: "recipients", message: "Đơn vị “\(recipient.name)” chưa có lãnh đạo nhận văn bản.")])
            }
            target = ForwardRecipient(user: user.id, unit: unit, role: .main, userRoles: Set(user.roles))
        } else if let userId = recipient.userId, let user = try await UserStore.find(id: userId, on: connection, logger: logger), user.active {
            target = ForwardRecipient(user: user.id, unit: nil, role: .main, userRoles: [.unitLeader])
        } else {
            throw ProblemDetails.invalid([.init(field: "recipients", message: "Người nhận “\(recipient.name)” không còn hoạt động.")])
        }
        guard let register = try await IncomingStore.defaultIncomingRegister(on: connection, logger: logger) else {
            throw ProblemDetails.invalid([.init(field: "recipients", message: "Chưa có sổ văn bản đến để vào sổ bản gửi nội bộ.")])
        }
        let record = IncomingRecord(
            id: UUID(), registerId: register, source: .internal, senderCode: us.code, senderName: us.name, senderDocumentId: nil,
            contentHash: nil, number: facts.number, notation: facts.notation, issuedAt: facts.issuedAt, issuedPlace: "",
            documentType: facts.typeAbbreviation ?? "CV", subject: facts.subject, signerName: facts.signerName,
            signerPosition: facts.signerPosition, urgency: facts.urgency, paperCopyFollows: false, senderDueDate: facts.dueDate,
            registeredBy: clerk.id, attachments: files.map { IncomingRecord.File(id: UUID(), name: $0.name, contentType: $0.contentType, bytes: $0.bytes, sha256: $0.sha256) })
        try await IncomingStore.store(record, at: now, on: connection, logger: logger)
        try await connection.query("update incoming_documents set outgoing_id = \(facts.id) where id = \(record.id)", logger: logger)
        let clerkActor = IncomingActor(id: clerk.id, roles: [.clerk])
        guard case .success(let routed) = IncomingWorkflow.apply(
            .forward(to: [target], instruction: nil, deadline: nil), by: clerkActor, to: .registered(fromAgency: false), at: now)
        else { throw IncomingStore.NotStored() }
        try await IncomingStore.save(routed, of: record.id, actor: (clerk.id, clerk.fullName), at: now, on: connection, logger: logger)
        let number = try await IncomingStore.number(record.id, on: connection, logger: logger)
        try await IncomingStore.history(
            record.id, actor: (clerk.id, clerk.fullName), action: "received", comment: "Văn bản nội bộ, số đến \(number)", at: now,
            on: connection, logger: logger)
        return record.id
    }

    static func setStatus(
        _ recipient: UUID, _ status: String, note: String? = nil, incoming: UUID?, at now: Date?, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            update outgoing_recipients set status = \(status), status_note = \(note), status_at = \(now),
                incoming_id = coalesce(\(incoming), incoming_id)
            where id = \(recipient)
            """, logger: logger)
    }

    /// Who has acted on the issued document: internal copies someone forwarded, finished or worked on,
    /// and agencies that reported handling beyond receipt.
    static func recipientsWhoActed(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var names: [String] = []
        let rows = try await connection.query(
            """
            select r.name from outgoing_recipients r
            where r.document_id = \(id) and (
                (r.incoming_id is not null and exists (
                    select 1 from incoming_documents i where i.id = r.incoming_id
                    and (i.state = 'finished' or exists (select 1 from incoming_assignments a where a.document_id = i.id and a.acted))))
                or r.status in ('assigned', 'processing', 'completed', 'recallRefused'))
            order by r.name
            """, logger: logger)
        for try await name in rows.decode(String.self) { names.append(name) }
        return names
    }

    /// Withdraws internal copies and sends `recall.v1` to agencies that got the document electronically.
    static func recall(
        _ id: UUID, exchangeId: UUID, reason: String, clerk: Caller, us: AgencyRef, at now: Date, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        for recipient in try await OutgoingQueries.recipients(of: id, on: connection, logger: logger) {
            if let copy = recipient.incomingId, recipient.status != "recalled" {
                try await connection.query(
                    "update incoming_documents set state = 'recalledBySender' where id = \(copy)", logger: logger)
                try await connection.query(
                    "update incoming_assignments set state = 'closed' where document_id = \(copy) and state = 'open'", logger: logger)
                try await IncomingStore.history(
                    copy, actor: (clerk.id, clerk.fullName), action: "recalledBySender", comment: reason, at: now, on: connection, logger: logger)
                try await setStatus(recipient.id, "recalled", incoming: nil, at: now, on: connection, logger: logger)
            } else if recipient.kind == "agency", let code = recipient.agencyCode, recipient.status == "sent" || recipient.status == "received"
                || recipient.status == "accepted"
            {
                let recall = RecallV1(documentId: exchangeId, from: us, to: AgencyRef(code: code, name: recipient.name), at: now, reason: reason)
                try await Outbox.enqueue(
                    OutboxMessage(
                        type: RecallV1.messageType, exchange: Routes.interAgencyExchange, routingKey: Routes.recall(to: code),
                        body: try recall.encoded()), on: connection, logger: logger)
                try await setStatus(recipient.id, "recallSent", incoming: nil, at: now, on: connection, logger: logger)
            }
        }
    }

    /// A status another agency sent about a document we issued: recorded on its recipient, unless an
    /// earlier-dated one arrives after a later one.
    static func recordStatus(_ status: StatusV1, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        var documentId: UUID?
        for try await id in try await connection.query(
            "select document_id from outgoing_exchanges where exchange_id = \(status.documentId)", logger: logger
        ).decode(UUID.self) { documentId = id }
        guard let documentId else { return false }
        var updated = false
        let rows = try await connection.query(
            """
            select id, status, status_at from outgoing_recipients
            where document_id = \(documentId) and kind = 'agency' and agency_code = \(status.from.code) for update
            """, logger: logger)
        var recipients: [(UUID, String?, Date?)] = []
        for try await row in rows.decode((UUID, String?, Date?).self) { recipients.append(row) }
        for (recipient, current, currentAt) in recipients
        where RecipientStatus.supersedes(status.status.rawValue, at: status.at, current: current, currentAt: currentAt) {
            try await connection.query(
                """
                update outgoing_recipients set status = \(status.status.rawValue), status_note = \(status.note), status_at = \(status.at)
                where id = \(recipient)
                """, logger: logger)
            updated = true
        }
        // Not a recipient of this document: nothing to record (the caller refuses it).
        guard !recipients.isEmpty else { return false }
        let note = status.note.map { ": \($0)" } ?? ""
        try await OutgoingStore.history(
            documentId, actor: (nil, status.from.name), action: "status.\(status.status.rawValue)", comment: "\(status.from.code)\(note)",
            at: Date(), on: connection, logger: logger)
        // A status older than the one shown (replies handled side by side, or late) is history only.
        if !updated { logger.info("older status recorded in the history only", metadata: ["status": "\(status.status.rawValue)"]) }
        return true
    }
}
