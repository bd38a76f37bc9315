import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// `GET /api/v1/<catalog>` for every logged-in user (forms need them); `POST`, `PUT /{id}` and
/// `DELETE /{id}` for admins, each logged in the usage log.
struct CatalogRoutes<Entry: CatalogEntry> {
    let client: PostgresClient
    let logger: Logger

    func add(to api: RouterGroup<ServiceRequestContext>) {
        let group = api.group(RouterPath(Entry.path))
        group.get { request, context in try await list(request, context) }
        group.post { request, context -> EditedResponse<Entry> in
            let caller = try context.require(.admin)
            var draft = try await valid(request, context)
            draft.id = UUID()
            let entry = draft
            try await write(caller: caller, context: context, detail: "thêm") { connection in
                var binds = try entry.values()
                try binds.encode(entry.id)
                let placeholders = (1...binds.count).map { "$\($0)" }.joined(separator: ", ")
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "insert into \(Entry.table) (\(Entry.columns.joined(separator: ", ")), id) values (\(placeholders))",
                        binds: binds), logger: logger)
            }
            return EditedResponse(status: .created, response: entry)
        }
        group.put(":id") { request, context -> Entry in
            let caller = try context.require(.admin)
            let id = try UUID.parameter("id", of: context, what: Entry.label)
            var draft = try await valid(request, context)
            draft.id = id
            let entry = draft
            try await write(caller: caller, context: context, detail: "sửa") { connection in
                var binds = try entry.values()
                let assignments = Entry.columns.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", ")
                try binds.encode(id)
                let rows = try await connection.query(
                    PostgresQuery(
                        unsafeSQL: "update \(Entry.table) set \(assignments) where id = $\(binds.count) returning 1", binds: binds),
                    logger: logger)
                var found = false
                for try await _ in rows { found = true }
                if !found { throw ProblemDetails.notFound("Không tìm thấy \(Entry.label).") }
            }
            return entry
        }
        group.delete(":id") { request, context -> HTTPResponse.Status in
            let caller = try context.require(.admin)
            let id = try UUID.parameter("id", of: context, what: Entry.label)
            try await write(caller: caller, context: context, detail: "xóa") { connection in
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: "delete from \(Entry.table) where id = $1 returning 1", binds: try binds(id)),
                    logger: logger)
                var found = false
                for try await _ in rows { found = true }
                if !found { throw ProblemDetails.notFound("Không tìm thấy \(Entry.label).") }
            }
            return .noContent
        }
    }

    private func list(_ request: Request, _ context: ServiceRequestContext) async throws -> [Entry] {
        _ = try context.requireCaller()
        // Registers filter by kind (`?kind=incoming`); other catalogs ignore it.
        let kind = Entry.columns.contains("kind") ? request.uri.queryParameters.get("kind") : nil
        let sql = Entry.selectSQL + (kind != nil ? " where kind = $1" : "") + " order by \(Entry.orderBy)"
        return try await client.withConnection { connection in
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: try binds(kind)), logger: logger)
            var entries: [Entry] = []
            for try await row in rows { entries.append(try Entry(row: row.makeRandomAccess())) }
            return entries
        }
    }

    private func valid(_ request: Request, _ context: ServiceRequestContext) async throws -> Entry {
        // The body has every field but `id`, which the path or the server gives: add a placeholder so
        // `Entry` stays one plain Codable type.
        let data = try await request.bodyData()
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw Request.badRequest("Nội dung không phải JSON hợp lệ.")
        }
        object["id"] = UUID().uuidString
        let entry = try Request.decode(Entry.self, from: try JSONSerialization.data(withJSONObject: object))
        switch entry.normalized() {
        case .success(let entry): return entry
        case .failure(let invalid): throw ProblemDetails.invalid(invalid.errors)
        }
    }

    /// Runs `change` with its usage-log line in one transaction, turning the database's uniqueness and
    /// reference checks into messages a person understands.
    private func write(
        caller: Caller, context: ServiceRequestContext, detail: String,
        _ change: @escaping @Sendable (PostgresConnection) async throws -> Void
    ) async throws {
        do {
            try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await Entry.guarding({ try await change(connection) }, on: connection, logger: logger)
                try await UsageLog.append(
                    .catalogChanged, userID: caller.id, username: caller.username, target: Entry.path,
                    detail: "\(detail) \(Entry.label)", address: context.clientAddress, on: connection, logger: logger)
            }
        } catch let error as PostgresTransactionError {
            throw DatabaseProblem.translate(error.closureError ?? error, label: Entry.label)
        }
    }

    private func binds(_ value: (some PostgresEncodable)?) throws -> PostgresBindings {
        var binds = PostgresBindings()
        if let value { try binds.encode(value) }
        return binds
    }
}
