import Contracts
import Foundation
import Logging
import PostgresNIO

/// SQL for incoming documents and their handling.
enum IncomingStore {
    /// Stores the document and its files, not yet numbered: `number(_:)` gives it its arrival number as
    /// the transaction's last step.
    static func store(_ record: IncomingRecord, at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        let year = ArrivalCheck.arrivalYear(now)
        try await connection.query(
            """
            insert into incoming_documents (
                id, register_id, arrival_year, arrival_number, source, sender_code, sender_name, sender_document_id, sender_document_text, content_hash,
                number, notation, issued_at, issued_place, document_type, subject, signer_name, signer_position, urgency,
                paper_copy_follows, sender_due_date, received_at, registered_by, state, reported, search_text)
            values (
                \(record.id), \(record.registerId), \(year), null, \(record.source.rawValue), \(record.senderCode), \(record.senderName),
                \(record.senderDocumentId), \(record.senderDocumentText), \(record.contentHash), \(record.number), \(record.notation), \(record.issuedAt.description)::date,
                \(record.issuedPlace), \(record.documentType), \(record.subject), \(record.signerName), \(record.signerPosition),
                \(record.urgency.rawValue), \(record.paperCopyFollows), \(record.senderDueDate?.description)::date, \(now),
                \(record.registeredBy), 'registered', \(record.source == .agency ? ["received", "accepted"] : [String]()), \(record.searchText))
            """, logger: logger)
        for file in record.attachments {
            try await connection.query(
                """
                insert into incoming_attachments (id, document_id, name, content_type, size, sha256, data, added_by)
                values (\(file.id), \(record.id), \(file.name), \(file.contentType), \(file.bytes.count), \(file.sha256),
                        \(ByteBuffer(bytes: file.bytes)), \(record.registeredBy))
                """, logger: logger)
        }
    }

    /// The next arrival number of the document's register for its year, written to the document.
    /// The counter row stays locked until commit, so concurrent registrations queue here and a rollback
    /// gives the number back: no gap, no repeat. Call it last, so the lock is held only briefly.
    static func number(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            """
            with document as (select register_id, arrival_year from incoming_documents where id = \(id)),
            next as (
                insert into register_counters (register_id, year, last_number) select register_id, arrival_year, 1 from document
                on conflict (register_id, year) do update set last_number = register_counters.last_number + 1
                returning last_number)
            update incoming_documents set arrival_number = (select last_number from next) where id = \(id) returning arrival_number
            """, logger: logger)
        for try await number in rows.decode(Int.self) { return number }
        throw NotStored()
    }

    struct NotStored: Error {}

    /// The document a sender already sent under `documentId`, with the hash of what it sent.
    static func existing(senderCode: String, documentId: UUID, on connection: PostgresConnection, logger: Logger) async throws
        -> (id: UUID, hash: String?, state: String)?
    {
        let rows = try await connection.query(
            """
            select id, content_hash, state from incoming_documents
            where sender_code = \(senderCode) and sender_document_id = \(documentId) for update
            """, logger: logger)
        for try await (id, hash, state) in rows.decode((UUID, String?, String).self) { return (id, hash, state) }
        return nil
    }

    /// The workflow's view of a document, locked for the rest of the transaction.
    static func loadCase(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> IncomingCase? {
        var found: (String, [String], String)?
        for try await row in try await connection.query(
            "select state, reported, source from incoming_documents where id = \(id) for update", logger: logger
        ).decode((String, [String], String).self) { found = row }
        guard let (state, reported, source) = found, let current = IncomingCase.State(rawValue: state) else { return nil }
        var assignments: [Assignment] = []
        let rows = try await connection.query(
            """
            select id, assignee, unit_id, role, assigned_by, parent_id, instruction, deadline, assigned_at, state, acted
            from incoming_assignments where document_id = \(id) order by assigned_at, id
            """, logger: logger)
        for try await (aid, assignee, unit, role, by, parent, instruction, deadline, at, astate, acted) in rows.decode(
            (UUID, UUID, UUID?, String, UUID, UUID?, String?, Date?, Date, String, Bool).self)
        {
            assignments.append(
                Assignment(
                    id: aid, assignee: assignee, unit: unit, role: HandlingRole(rawValue: role) ?? .info, assignedBy: by, parent: parent,
                    instruction: instruction, deadline: deadline, assignedAt: at, state: Assignment.State(rawValue: astate) ?? .closed,
                    acted: acted))
        }
        return IncomingCase(
            state: current, assignments: assignments, fromAgency: source == IncomingRecord.Source.agency.rawValue,
            reported: reported.compactMap(DocumentStatus.init(rawValue:)))
    }

    /// Writes a transition: the document's state, every assignment, and the history line.
    static func save(
        _ transition: IncomingWorkflow.Transition, of id: UUID, actor: (id: UUID?, name: String), at now: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let next = transition.next
        // The document's due time: the earliest deadline among its open main and co-handling parts.
        let due = next.assignments.filter { $0.isOpen && $0.role != .info }.compactMap(\.deadline).min()
        try await connection.query(
            """
            update incoming_documents set state = \(next.state.rawValue), reported = \(next.reported.map(\.rawValue)),
                due_at = \(due), finished_at = case when \(next.state.rawValue) = 'finished' then \(now) else finished_at end
            where id = \(id)
            """, logger: logger)
        for a in next.assignments {
            try await connection.query(
                """
                insert into incoming_assignments (
                    id, document_id, assignee, unit_id, role, assigned_by, parent_id, instruction, deadline, assigned_at, state, acted)
                values (\(a.id), \(id), \(a.assignee), \(a.unit), \(a.role.rawValue), \(a.assignedBy), \(a.parent), \(a.instruction),
                        \(a.deadline), \(a.assignedAt), \(a.state.rawValue), \(a.acted))
                on conflict (id) do update set state = excluded.state, acted = excluded.acted
                """, logger: logger)
        }
        try await history(
            id, actor: actor, action: transition.action, comment: transition.comment, at: now, on: connection, logger: logger)
    }

    static func history(
        _ id: UUID, actor: (id: UUID?, name: String), action: String, comment: String?, at now: Date, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            insert into incoming_history (document_id, at, actor_id, actor_name, action, comment)
            values (\(id), \(now), \(actor.id), \(actor.name), \(action), \(comment))
            """, logger: logger)
    }

    /// Sender code, name and document id of an electronic arrival, for status replies.
    static func origin(
        of id: UUID, on connection: PostgresConnection, logger: Logger
    ) async throws -> (code: String, name: String, documentId: UUID, asSent: String?)? {
        let rows = try await connection.query(
            """
            select sender_code, sender_name, sender_document_id, sender_document_text from incoming_documents
            where id = \(id) and sender_code is not null and sender_document_id is not null
            """, logger: logger)
        for try await row in rows.decode((String, String, UUID, String?).self) { return row }
        return nil
    }

    /// How much of a refused body is kept, and for how long.
    static let keptRejectedBytes = 64 << 10
    static let rejectedRetention: TimeInterval = 90 * 86_400

    static func reject(
        messageID: String?, type: String?, brokerUser: String?, senderCode: String?, documentId: String?, reason: String, body: [UInt8],
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            insert into rejected_messages (id, message_id, message_type, broker_user, sender_code, document_id, reason, body, body_size)
            values (\(UUID()), \(messageID), \(type), \(brokerUser), \(senderCode), \(documentId), \(String(reason.prefix(2000))),
                    \(ByteBuffer(bytes: body.prefix(keptRejectedBytes))), \(body.count))
            """, logger: logger)
    }

    /// Forgets refusals older than the retention; returns how many.
    @discardableResult
    static func pruneRejected(before cutoff: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var removed = 0
        for try await _ in try await connection.query(
            "delete from rejected_messages where received_at < \(cutoff) returning 1", logger: logger) { removed += 1 }
        return removed
    }

    /// Agencies we exchange with, by code.
    static func agencies(on connection: PostgresConnection, logger: Logger) async throws -> [String: String] {
        var agencies: [String: String] = [:]
        for try await (code, name) in try await connection.query("select code, name from agencies where active", logger: logger)
            .decode((String, String).self)
        { agencies[code] = name }
        return agencies
    }

    /// The register electronic arrivals go into: the incoming register coded `DEN`, else the first active one.
    static func defaultIncomingRegister(on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        let rows = try await connection.query(
            "select id from registers where kind = 'incoming' and active order by (code = 'DEN') desc, code limit 1", logger: logger)
        for try await id in rows.decode(UUID.self) { return id }
        return nil
    }
}
