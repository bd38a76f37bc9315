import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Reading outgoing documents the way people look for them: their boxes, one document, the register,
/// search. Clerks and the head see every document; others what they drafted, hold, or acted on.
enum OutgoingQueries {
    enum Box: String, Sendable, CaseIterable {
        /// Dự thảo của tôi.
        case drafts
        /// Chờ tôi duyệt.
        case review
        /// Bị trả lại.
        case returned
        /// Chờ phát hành (clerks).
        case issuing
        /// Đã phát hành.
        case issued
    }

    struct Viewer: Sendable {
        var id: UUID
        var seesAll: Bool

        init(id: UUID, seesAll: Bool) {
            self.id = id
            self.seesAll = seesAll
        }

        /// The head and the clerks see every outgoing document; anyone else those they wrote, hold or acted on.
        init(caller: Caller) { self.init(id: caller.id, seesAll: caller.has(.head) || caller.has(.clerk)) }
    }

    struct Item: Codable, Sendable, Equatable {
        var id: UUID
        var state: String
        var documentType: String
        var subject: String
        var urgency: String
        var number: Int?
        var symbol: String?
        var issuedAt: String?
        var author: String
        var holder: String?
        var updatedAt: Date
        var rank: Double?
    }

    struct Recipient: Codable, Sendable, Equatable {
        var id: UUID
        var kind: String
        var unitId: UUID?
        var userId: UUID?
        var agencyCode: String?
        var name: String
        var delivery: String
        var incomingId: UUID?
        var status: String?
        var statusNote: String?
        var statusAt: Date?
    }

    static func recipients(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [Recipient] {
        var found: [Recipient] = []
        let rows = try await connection.query(
            """
            select id, kind, unit_id, user_id, agency_code, name, delivery, incoming_id, status, status_note, status_at
            from outgoing_recipients where document_id = \(id) order by kind desc, name, id
            """, logger: logger)
        for try await (rid, kind, unit, user, code, name, delivery, incoming, status, note, at) in rows.decode(
            (UUID, String, UUID?, UUID?, String?, String, String, UUID?, String?, String?, Date?).self)
        {
            found.append(
                Recipient(
                    id: rid, kind: kind, unitId: unit, userId: user, agencyCode: code, name: name, delivery: delivery, incomingId: incoming,
                    status: status, statusNote: note, statusAt: at))
        }
        return found
    }

    static let itemColumns = """
        d.id, d.state, d.type_name, d.subject, d.urgency, d.number,
        d.notation,
        to_char(d.issued_at, 'YYYY-MM-DD'), a.full_name, h.full_name, d.updated_at
        """
    static let itemFrom = "outgoing_documents d join users a on a.id = d.author_id left join users h on h.id = d.holder_id"

    static func visible(_ viewer: Viewer, _ binds: inout PostgresBindings) throws -> String {
        if viewer.seesAll { return "d.state <> 'deleted'" }
        try binds.encode(viewer.id)
        let me = "$\(binds.count)"
        return """
            d.state <> 'deleted' and (d.author_id = \(me) or d.holder_id = \(me)
                or exists (select 1 from outgoing_history v where v.document_id = d.id and v.actor_id = \(me)))
            """
    }

    static func boxCondition(_ box: Box, _ viewer: Viewer, _ binds: inout PostgresBindings) throws -> String {
        switch box {
        case .issuing: return "d.state in ('approved', 'recalled')"
        case .issued: return "d.state = 'issued'"
        case .drafts, .review, .returned: break
        }
        try binds.encode(viewer.id)
        let me = "$\(binds.count)"
        switch box {
        case .review: return "d.state = 'inReview' and d.holder_id = \(me)"
        case .returned: return "d.state = 'returned' and d.author_id = \(me)"
        default: return "d.state = 'draft' and d.author_id = \(me)"
        }
    }

    static func list(
        box: Box?, query: String?, viewer: Viewer, registerId: UUID?, limit: Int, offset: Int, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> (items: [Item], total: Int) {
        var binds = PostgresBindings()
        var rank = "null::float8"
        var conditions: [String] = []
        if let query, !query.trimmingCharacters(in: .whitespaces).isEmpty {
            try binds.encode(VietnameseText.searchKey(query))
            rank = "ts_rank_cd(d.search_vector, websearch_to_tsquery('simple', $1))::float8"
            conditions.append("d.search_vector @@ websearch_to_tsquery('simple', $1)")
        }
        conditions.append(try visible(viewer, &binds))
        if let box { conditions.append(try boxCondition(box, viewer, &binds)) }
        if let registerId {
            try binds.encode(registerId)
            conditions.append("d.register_id = $\(binds.count)")
        }
        let condition = conditions.joined(separator: " and ")
        var total = 0
        for try await value in try await connection.query(
            PostgresQuery(unsafeSQL: "select count(*)::int from \(itemFrom) where \(condition)", binds: binds), logger: logger
        ).decode(Int.self) { total = value }
        try binds.encode(limit)
        try binds.encode(offset)
        let order = rank == "null::float8" ? "d.updated_at desc, d.id" : "\(rank) desc, d.updated_at desc"
        let sql = """
            select \(itemColumns), \(rank) from \(itemFrom) where \(condition)
            order by \(order) limit $\(binds.count - 1) offset $\(binds.count)
            """
        var items: [Item] = []
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await (id, state, type, subject, urgency, number, notation, issued, author, holder, updated, score) in rows.decode(
            (UUID, String, String, String, String, Int?, String?, String?, String, String?, Date, Double?).self)
        {
            // Số, ký hiệu is formatted in one place (DocumentSymbol) for every output, never in SQL.
            let symbol = number.flatMap { n in notation.map { DocumentSymbol.symbol(number: n, notation: $0) } }
            items.append(
                Item(
                    id: id, state: state, documentType: type, subject: subject, urgency: urgency, number: number, symbol: symbol,
                    issuedAt: issued, author: author, holder: holder, updatedAt: updated, rank: score))
        }
        return (items, total)
    }

    static func canSee(_ id: UUID, viewer: Viewer, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        var binds = PostgresBindings()
        try binds.encode(id)
        let condition = try visible(viewer, &binds)
        for try await count in try await connection.query(
            PostgresQuery(unsafeSQL: "select count(*)::int from outgoing_documents d where d.id = $1 and \(condition)", binds: binds),
            logger: logger
        ).decode(Int.self) { return count > 0 }
        return false
    }

    /// Sổ văn bản đi: one line per issued document of the register and year, in number order.
    struct RegisterLine: Codable, Sendable, Equatable {
        var number: Int
        var symbol: String
        var issuedAt: String
        var documentType: String
        var subject: String
        var signer: String
        var recipients: [String]
        /// Bản giấy: how many recipients get paper.
        var paperCopies: Int
        var state: String
    }

    /// What a secret document's line shows to someone who keeps the register without handling its documents.
    static let secretSubject = "(Văn bản mật)"

    /// The register's lines; with `secretSubjects` false (an administrator who is not a clerk or the head),
    /// a secret document's subject is hidden: keeping the system running is no reason to read it.
    static func register(
        _ registerId: UUID, year: Int, secretSubjects: Bool, on connection: PostgresConnection, logger: Logger
    ) async throws -> [RegisterLine] {
        var lines: [RegisterLine] = []
        let rows = try await connection.query(
            """
            select d.number, coalesce(d.notation, ''), to_char(d.issued_at, 'YYYY-MM-DD'), d.type_name,
                case when d.secret and not \(secretSubjects) then \(secretSubject) else d.subject end,
                coalesce(d.signer_name, ''),
                coalesce((select array_agg(r.name order by r.name) from outgoing_recipients r where r.document_id = d.id), '{}'),
                (select count(*)::int from outgoing_recipients r where r.document_id = d.id and r.delivery <> 'electronic'), d.state
            from outgoing_documents d
            where d.register_id = \(registerId) and d.issue_year = \(year) and d.number is not null
            order by d.number
            """, logger: logger)
        for try await (number, notation, issued, type, subject, signer, recipients, paper, state) in rows.decode(
            (Int, String, String, String, String, String, [String], Int, String).self)
        {
            lines.append(
                RegisterLine(
                    number: number, symbol: DocumentSymbol.symbol(number: number, notation: notation), issuedAt: issued, documentType: type, subject: subject, signer: signer,
                    recipients: recipients, paperCopies: paper, state: state))
        }
        return lines
    }
}
