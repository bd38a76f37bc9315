import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Reading incoming documents the way people look for them: their boxes, one document, search. Every
/// query carries who may see what (`Viewer`).
enum IncomingQueries {
    /// Who is looking: the head and clerks see every document; a unit leader sees what reached anyone
    /// in the unit; everyone else what reached them.
    struct Viewer: Sendable {
        var id: UUID
        var seesAll: Bool
        var leaderOf: UUID?

        init(id: UUID, seesAll: Bool, leaderOf: UUID?) {
            self.id = id
            self.seesAll = seesAll
            self.leaderOf = leaderOf
        }

        /// The head and the clerks see every incoming document; a unit leader their unit's.
        init(caller: Caller) {
            self.init(id: caller.id, seesAll: caller.has(.head) || caller.has(.clerk), leaderOf: caller.has(.unitLeader) ? caller.unit?.id : nil)
        }
    }

    enum Box: String, Sendable, CaseIterable {
        /// Chờ xử lý: open main or co-handling parts; for clerks also registered documents not yet routed.
        case pending
        /// Đã xử lý: what the viewer passed on, finished, contributed to, or routed.
        case processed
        /// Xem để biết.
        case info
    }

    struct Filter: Sendable {
        var registerId: UUID?
        var documentType: String?
        var sender: String?
        var receivedFrom: Date?
        var receivedTo: Date?
        var urgency: String?
        var overdueOnly = false
    }

    struct Item: Codable, Sendable, Equatable {
        var id: UUID
        var arrivalNumber: Int
        var number: Int?
        var notation: String
        var subject: String
        var from: String
        var receivedAt: Date
        var dueDate: Date?
        var state: String
        var urgency: String
        var overdue: Bool
        /// Search rank, highest first; only in search results.
        var rank: Double?
    }

    static let itemColumns = """
        d.id, d.arrival_number, d.number, d.notation, d.subject, d.sender_name, d.received_at, d.due_at, d.state, d.urgency,
        (d.due_at is not null and d.due_at < now() and d.state = 'inProgress') as overdue
        """

    /// The SQL condition "the viewer may see d", with its binds appended.
    static func visible(_ viewer: Viewer, _ binds: inout PostgresBindings) throws -> String {
        if viewer.seesAll { return "true" }
        try binds.encode(viewer.id)
        let me = "$\(binds.count)"
        guard let unit = viewer.leaderOf else {
            return "exists (select 1 from incoming_assignments v where v.document_id = d.id and v.assignee = \(me))"
        }
        try binds.encode(unit)
        let u = "$\(binds.count)"
        return """
            exists (select 1 from incoming_assignments v where v.document_id = d.id
                    and (v.assignee = \(me) or v.unit_id = \(u) or v.assignee in (select id from users where unit_id = \(u))))
            """
    }

    static func boxCondition(_ box: Box, _ viewer: Viewer, isClerk: Bool, _ binds: inout PostgresBindings) throws -> String {
        try binds.encode(viewer.id)
        let me = "$\(binds.count)"
        switch box {
        case .pending:
            let mine = "exists (select 1 from incoming_assignments b where b.document_id = d.id and b.assignee = \(me) and b.state = 'open' and b.role <> 'info')"
            return isClerk ? "(\(mine) or d.state = 'registered')" : mine
        case .processed:
            return """
                exists (select 1 from incoming_assignments b where b.document_id = d.id and b.role <> 'info'
                        and ((b.assignee = \(me) and b.state in ('forwarded', 'done')) or b.assigned_by = \(me)))
                """
        case .info:
            return "exists (select 1 from incoming_assignments b where b.document_id = d.id and b.assignee = \(me) and b.role = 'info')"
        }
    }

    static func filterCondition(_ filter: Filter, _ binds: inout PostgresBindings) throws -> String {
        var parts: [String] = []
        func add(_ sql: String, _ value: some PostgresEncodable) throws {
            try binds.encode(value)
            parts.append(sql.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let value = filter.registerId { try add("d.register_id = ?", value) }
        if let value = filter.documentType { try add("d.document_type = ?", value) }
        if let value = filter.sender { try add("d.search_text like '%' || ? || '%'", VietnameseText.searchKey(value)) }
        if let value = filter.receivedFrom { try add("d.received_at >= ?", value) }
        if let value = filter.receivedTo { try add("d.received_at < ?", value) }
        if let value = filter.urgency { try add("d.urgency = ?", value) }
        if filter.overdueOnly { parts.append("(d.due_at < now() and d.state = 'inProgress')") }
        return parts.isEmpty ? "true" : parts.joined(separator: " and ")
    }

    static func list(
        box: Box, viewer: Viewer, isClerk: Bool, filter: Filter, limit: Int, offset: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> (items: [Item], total: Int) {
        var binds = PostgresBindings()
        let condition = [
            try visible(viewer, &binds), try boxCondition(box, viewer, isClerk: isClerk, &binds), try filterCondition(filter, &binds),
        ].joined(separator: " and ")
        let total = try await count("select count(*)::int from incoming_documents d where \(condition)", binds, connection, logger)
        try binds.encode(limit)
        try binds.encode(offset)
        let sql = """
            select \(itemColumns), null::float8 from incoming_documents d where \(condition)
            order by d.received_at desc, d.id limit $\(binds.count - 1) offset $\(binds.count)
            """
        return (try await items(sql, binds, connection, logger), total)
    }

    /// Counts of each box and of overdue documents among the pending ones.
    static func counts(viewer: Viewer, isClerk: Bool, on connection: PostgresConnection, logger: Logger) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for box in Box.allCases {
            var binds = PostgresBindings()
            let condition = "\(try visible(viewer, &binds)) and \(try boxCondition(box, viewer, isClerk: isClerk, &binds))"
            result[box.rawValue] = try await count("select count(*)::int from incoming_documents d where \(condition)", binds, connection, logger)
            if box == .pending {
                result["overdue"] = try await count(
                    "select count(*)::int from incoming_documents d where \(condition) and d.due_at < now() and d.state = 'inProgress'", binds,
                    connection, logger)
            }
        }
        return result
    }

    /// Documents the viewer may see whose text matches `query` (without diacritics, any case; quoted
    /// phrases kept together), best first.
    static func search(
        _ query: String, viewer: Viewer, filter: Filter, limit: Int, offset: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> (items: [Item], total: Int) {
        var binds = PostgresBindings()
        try binds.encode(VietnameseText.searchKey(query))
        let q = "websearch_to_tsquery('simple', $1)"
        let condition = "d.search_vector @@ \(q) and \(try visible(viewer, &binds)) and \(try filterCondition(filter, &binds))"
        let total = try await count("select count(*)::int from incoming_documents d where \(condition)", binds, connection, logger)
        try binds.encode(limit)
        try binds.encode(offset)
        let sql = """
            select \(itemColumns), ts_rank_cd(d.search_vector, \(q))::float8 as rank from incoming_documents d where \(condition)
            order by rank desc, d.received_at desc limit $\(binds.count - 1) offset $\(binds.count)
            """
        return (try await items(sql, binds, connection, logger), total)
    }

    static func canSee(_ id: UUID, viewer: Viewer, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        var binds = PostgresBindings()
        try binds.encode(id)
        let condition = try visible(viewer, &binds)
        return try await count("select count(*)::int from incoming_documents d where d.id = $1 and \(condition)", binds, connection, logger) > 0
    }

    private static func count(_ sql: String, _ binds: PostgresBindings, _ connection: PostgresConnection, _ logger: Logger) async throws -> Int {
        for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).decode(Int.self) {
            return value
        }
        return 0
    }

    private static func items(_ sql: String, _ binds: PostgresBindings, _ connection: PostgresConnection, _ logger: Logger) async throws -> [Item] {
        var items: [Item] = []
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        for try await (id, arrival, number, notation, subject, from, received, due, state, urgency, overdue, rank) in rows.decode(
            (UUID, Int, Int?, String, String, String, Date, Date?, String, String, Bool, Double?).self)
        {
            items.append(
                Item(
                    id: id, arrivalNumber: arrival, number: number, notation: notation, subject: subject, from: from, receivedAt: received,
                    dueDate: due, state: state, urgency: urgency, overdue: overdue, rank: rank))
        }
        return items
    }
}
