import Foundation
import Logging
import PostgresNIO

/// One outgoing document as a person opens it: its data, file versions, recipients with what each
/// reported, related documents and history.
struct OutgoingDetail: Codable, Sendable {
    var id: UUID
    var state: String
    var authorId: UUID
    var author: String
    var unitId: UUID
    var holderId: UUID?
    var holder: String?
    var documentTypeId: UUID
    var documentType: String
    var typeAbbreviation: String?
    var subject: String
    var urgency: String
    var secrecy: String
    var flags: [String]
    var dueDate: String?
    var registerId: UUID?
    var number: Int?
    var notation: String?
    /// Số, ký hiệu: `05/QĐ-UBND`.
    var symbol: String?
    var issuedAt: String?
    var signer: Signer?
    var files: [File]
    var recipients: [OutgoingQueries.Recipient]
    var related: [Related]
    var history: [IncomingDetail.Step]
    /// What the caller may do now.
    var actions: [String]

    struct Signer: Codable, Sendable { var name: String; var position: String }
    struct Related: Codable, Sendable { var kind: String; var id: UUID }
    struct File: Codable, Sendable {
        var id: UUID
        var kind: String
        var version: Int
        var name: String
        var contentType: String
        var size: Int
        var sha256: String
        var addedBy: String
        var addedAt: Date
        /// The Signing service's verdict on a final file: pending, passed, indeterminate, failed.
        var verification: String?
        var verificationNote: String?
    }

    static func load(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> OutgoingDetail? {
        var detail: OutgoingDetail?
        let rows = try await connection.query(
            """
            select d.id, d.state, d.author_id, a.full_name, d.unit_id, d.holder_id, h.full_name, d.document_type_id, d.type_name,
                   d.type_abbreviation, d.subject, d.urgency, d.secrecy, d.flags, d.due_date::text, d.register_id, d.number, d.notation,
                   d.issued_at::text, d.signer_name, d.signer_position
            from outgoing_documents d join users a on a.id = d.author_id left join users h on h.id = d.holder_id
            where d.id = \(id)
            """, logger: logger)
        for try await row in rows {
            let r = row.makeRandomAccess()
            let number = try r[16].decode(Int?.self)
            let notation = try r[17].decode(String?.self)
            let signerName = try r[19].decode(String?.self)
            detail = OutgoingDetail(
                id: try r[0].decode(UUID.self), state: try r[1].decode(String.self), authorId: try r[2].decode(UUID.self),
                author: try r[3].decode(String.self), unitId: try r[4].decode(UUID.self), holderId: try r[5].decode(UUID?.self),
                holder: try r[6].decode(String?.self), documentTypeId: try r[7].decode(UUID.self), documentType: try r[8].decode(String.self),
                typeAbbreviation: try r[9].decode(String?.self), subject: try r[10].decode(String.self), urgency: try r[11].decode(String.self),
                secrecy: try r[12].decode(String.self), flags: try r[13].decode([String].self), dueDate: try r[14].decode(String?.self),
                registerId: try r[15].decode(UUID?.self), number: number, notation: notation,
                symbol: number.flatMap { n in notation.map { DocumentSymbol.symbol(number: n, notation: $0) } },
                issuedAt: try r[18].decode(String?.self),
                signer: signerName.map { Signer(name: $0, position: (try? r[20].decode(String?.self)) ?? "" ) } ?? nil,
                files: [], recipients: [], related: [], history: [], actions: [])
        }
        guard var detail else { return nil }
        let files = try await connection.query(
            """
            select f.id, f.kind, f.version, f.name, f.content_type, f.size, f.sha256, u.full_name, f.added_at, f.verification, f.verification_note
            from outgoing_files f join users u on u.id = f.added_by where f.document_id = \(id) order by f.kind, f.version, f.added_at, f.id
            """, logger: logger)
        for try await (fid, kind, version, name, type, size, sha, by, at, verdict, note) in files.decode(
            (UUID, String, Int, String, String, Int, String, String, Date, String?, String?).self)
        {
            detail.files.append(
                File(
                    id: fid, kind: kind, version: version, name: name, contentType: type, size: size, sha256: sha, addedBy: by, addedAt: at,
                    verification: verdict, verificationNote: note))
        }
        detail.recipients = try await OutgoingQueries.recipients(of: id, on: connection, logger: logger)
        for try await (kind, related) in try await connection.query(
            "select kind, related_id from outgoing_related where document_id = \(id) order by kind, related_id", logger: logger
        ).decode((String, UUID).self) { detail.related.append(Related(kind: kind, id: related)) }
        for try await (at, actor, action, comment) in try await connection.query(
            "select at, actor_name, action, comment from outgoing_history where document_id = \(id) order by id", logger: logger
        ).decode((Date, String, String, String?).self) { detail.history.append(IncomingDetail.Step(at: at, actor: actor, action: action, comment: comment)) }
        return detail
    }
}
