import Contracts
import Foundation
import Logging
import PostgresNIO

/// SQL for outgoing documents: drafts, their files and steps.
enum OutgoingStore {
    static func create(_ draft: OutgoingDraft, on connection: PostgresConnection, logger: Logger) async throws {
        let start = OutgoingCase.drafted(by: draft.author)
        try await connection.query(
            """
            insert into outgoing_documents (
                id, author_id, unit_id, document_type_id, type_name, type_abbreviation, field_id, subject, urgency, secret, secrecy, flags,
                due_date, state, holder_id, search_text)
            values (
                \(draft.id), \(draft.author), \(draft.unit), \(draft.typeId), \(draft.typeName), \(draft.typeAbbreviation), \(draft.fieldId),
                \(draft.subject), \(draft.urgency.rawValue), \(draft.secret), \(draft.secrecy), \(draft.flags.names),
                \(draft.dueDate?.description)::date, \(start.state.rawValue), \(draft.author), \(draft.searchText))
            """, logger: logger)
        for file in draft.files {
            try await addFile(file, kind: "draft", version: 1, to: draft.id, by: draft.author, on: connection, logger: logger)
        }
        for related in draft.related {
            try await connection.query(
                "insert into outgoing_related (document_id, kind, related_id) values (\(draft.id), \(related.kind), \(related.id)) on conflict do nothing",
                logger: logger)
        }
        for recipient in draft.recipients {
            try await connection.query(
                """
                insert into outgoing_recipients (id, document_id, kind, unit_id, user_id, agency_code, name, delivery)
                values (\(UUID()), \(draft.id), \(recipient.kind.rawValue), \(recipient.unitId), \(recipient.userId), \(recipient.agencyCode),
                        \(recipient.name), \(recipient.delivery.rawValue))
                """, logger: logger)
        }
    }

    static func addFile(
        _ file: IncomingRecord.File, kind: String, version: Int, verification: SignatureGate.Verdict? = nil, to id: UUID, by user: UUID,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            insert into outgoing_files (id, document_id, kind, version, name, content_type, size, sha256, data, added_by, verification)
            values (\(file.id), \(id), \(kind), \(version), \(file.name), \(file.contentType), \(file.bytes.count), \(file.sha256),
                    \(ByteBuffer(bytes: file.bytes)), \(user), \(verification?.rawValue))
            """, logger: logger)
    }

    /// The next version number of the document's files of `kind`.
    static func nextVersion(of id: UUID, kind: String, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            "select coalesce(max(version), 0)::int + 1 from outgoing_files where document_id = \(id) and kind = \(kind)", logger: logger)
        for try await version in rows.decode(Int.self) { return version }
        return 1
    }

    /// The workflow's view of a document, locked for the rest of the transaction.
    static func loadCase(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> OutgoingCase? {
        let rows = try await connection.query(
            "select state, author_id, holder_id, sent_by, holder_acted, number from outgoing_documents where id = \(id) for update",
            logger: logger)
        for try await (state, author, holder, sentBy, acted, number) in rows.decode((String, UUID, UUID?, UUID?, Bool, Int?).self) {
            guard let state = OutgoingCase.State(rawValue: state) else { return nil }
            return OutgoingCase(state: state, author: author, holder: holder, sentBy: sentBy, holderActed: acted, number: number)
        }
        return nil
    }

    static func save(
        _ transition: OutgoingWorkflow.Transition, of id: UUID, actor: (id: UUID?, name: String), at now: Date,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let next = transition.next
        try await connection.query(
            """
            update outgoing_documents set state = \(next.state.rawValue), holder_id = \(next.holder), sent_by = \(next.sentBy),
                holder_acted = \(next.holderActed), updated_at = \(now)
            where id = \(id)
            """, logger: logger)
        try await history(id, actor: actor, action: transition.action, comment: transition.comment, at: now, on: connection, logger: logger)
    }

    static func history(
        _ id: UUID, actor: (id: UUID?, name: String), action: String, comment: String?, at now: Date, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        try await connection.query(
            """
            insert into outgoing_history (document_id, at, actor_id, actor_name, action, comment)
            values (\(id), \(now), \(actor.id), \(actor.name), \(action), \(comment))
            """, logger: logger)
    }

    /// The verdict on the latest final file, if there is one.
    static func finalVerdict(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (file: UUID, verdict: SignatureGate.Verdict?)? {
        let rows = try await connection.query(
            "select id, verification from outgoing_files where document_id = \(id) and kind = 'final' order by version desc limit 1",
            logger: logger)
        for try await (file, verdict) in rows.decode((UUID, String?).self) {
            return (file, verdict.flatMap(SignatureGate.Verdict.init(rawValue:)))
        }
        return nil
    }

    /// Records the Signing service's verdict on a file of ours (outgoing final file or incoming
    /// attachment: the request id is the file's id). False when no file has that id.
    static func recordVerdict(_ report: VerificationV1, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let verdict = report.result.rawValue
        let note = report.signatures.map(\.message).joined(separator: " ")
        var found = false
        for table in ["outgoing_files", "incoming_attachments"] {
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: "update \(table) set verification = $1, verification_note = $2 where id = $3 returning id",
                    binds: try binds(verdict, note, report.requestId)), logger: logger)
            for try await _ in rows { found = true }
        }
        return found
    }

    private static func binds(_ values: any PostgresEncodable...) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { try binds.encode(value) }
        return binds
    }
}
