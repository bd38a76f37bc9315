import Foundation
import Logging
import PostgresNIO

/// One incoming document as a person opens it: its data, files, who holds it and its history.
struct IncomingDetail: Codable, Sendable {
    var id: UUID
    var registerId: UUID
    var arrivalYear: Int
    var arrivalNumber: Int
    var source: String
    var from: From
    var number: Int?
    var notation: String
    var issuedAt: String
    var issuedPlace: String
    var documentType: String
    var subject: String
    var signer: Signer
    var urgency: String
    var paperCopyFollows: Bool
    var receivedAt: Date
    var dueDate: Date?
    var state: String
    var attachments: [File]
    var assignments: [Part]
    var history: [Step]
    /// What the caller may do now (`forward`, `finish`, `complete`, `saveToDossier`, `createTask`, `recall`).
    var actions: [String]

    struct From: Codable, Sendable { var code: String?; var name: String }
    struct Signer: Codable, Sendable { var name: String; var position: String }
    struct File: Codable, Sendable {
        var id: UUID
        var name: String
        var contentType: String
        var size: Int
        var sha256: String
        /// The Signing service's verdict on an arriving PDF: pending, passed, indeterminate, failed.
        var verification: String?
        var verificationNote: String?
    }
    struct Part: Codable, Sendable {
        var id: UUID
        var assignee: UUID
        var assigneeName: String
        var unitId: UUID?
        var role: String
        var assignedBy: UUID
        var assignedByName: String
        var instruction: String?
        var deadline: Date?
        var assignedAt: Date
        var state: String
    }
    struct Step: Codable, Sendable { var at: Date; var actor: String; var action: String; var comment: String? }

    static func load(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> IncomingDetail? {
        var detail: IncomingDetail?
        let rows = try await connection.query(
            """
            select id, register_id, arrival_year, arrival_number, source, sender_code, sender_name, number, notation, issued_at::text,
                   issued_place, document_type, subject, signer_name, signer_position, urgency, paper_copy_follows, received_at, due_at, state
            from incoming_documents where id = \(id)
            """, logger: logger)
        for try await row in rows {
            let r = row.makeRandomAccess()
            detail = IncomingDetail(
                id: try r["id"].decode(UUID.self), registerId: try r["register_id"].decode(UUID.self),
                arrivalYear: try r["arrival_year"].decode(Int.self), arrivalNumber: try r["arrival_number"].decode(Int.self),
                source: try r["source"].decode(String.self),
                from: From(code: try r["sender_code"].decode(String?.self), name: try r["sender_name"].decode(String.self)),
                number: try r["number"].decode(Int?.self), notation: try r["notation"].decode(String.self),
                issuedAt: try r["issued_at"].decode(String.self), issuedPlace: try r["issued_place"].decode(String.self),
                documentType: try r["document_type"].decode(String.self), subject: try r["subject"].decode(String.self),
                signer: Signer(name: try r["signer_name"].decode(String.self), position: try r["signer_position"].decode(String.self)),
                urgency: try r["urgency"].decode(String.self), paperCopyFollows: try r["paper_copy_follows"].decode(Bool.self),
                receivedAt: try r["received_at"].decode(Date.self), dueDate: try r["due_at"].decode(Date?.self),
                state: try r["state"].decode(String.self), attachments: [], assignments: [], history: [], actions: [])
        }
        guard var detail else { return nil }
        for try await (fid, name, type, size, sha, verdict, note) in try await connection.query(
            """
            select id, name, content_type, size, sha256, verification, verification_note from incoming_attachments
            where document_id = \(id) order by added_at, name
            """, logger: logger
        ).decode((UUID, String, String, Int, String, String?, String?).self) {
            detail.attachments.append(
                File(id: fid, name: name, contentType: type, size: size, sha256: sha, verification: verdict, verificationNote: note))
        }
        let parts = try await connection.query(
            """
            select a.id, a.assignee, u.full_name, a.unit_id, a.role, a.assigned_by, b.full_name, a.instruction, a.deadline, a.assigned_at, a.state
            from incoming_assignments a join users u on u.id = a.assignee join users b on b.id = a.assigned_by
            where a.document_id = \(id) order by a.assigned_at, a.id
            """, logger: logger)
        for try await (pid, assignee, name, unit, role, by, byName, instruction, deadline, at, state) in parts.decode(
            (UUID, UUID, String, UUID?, String, UUID, String, String?, Date?, Date, String).self)
        {
            detail.assignments.append(
                Part(
                    id: pid, assignee: assignee, assigneeName: name, unitId: unit, role: role, assignedBy: by, assignedByName: byName,
                    instruction: instruction, deadline: deadline, assignedAt: at, state: state))
        }
        for try await (at, actor, action, comment) in try await connection.query(
            "select at, actor_name, action, comment from incoming_history where document_id = \(id) order by id", logger: logger
        ).decode((Date, String, String, String?).self) {
            detail.history.append(Step(at: at, actor: actor, action: action, comment: comment))
        }
        return detail
    }
}
