import Crypto
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit

/// Tài liệu: `POST /api/v1/files?name=` (the body is the file), `GET /api/v1/files?view=mine|shared|deleted`,
/// `GET /api/v1/files/{id}` (the bytes), `POST /api/v1/files/{id}/share`, `DELETE /api/v1/files/{id}`,
/// `POST /api/v1/files/{id}/restore`. Files are served as every file is (`InlineFilePolicy`): what could
/// run script never comes back inline.
struct PersonalFileRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    struct Share: Decodable { var userIds: [UUID]?; var unitIds: [UUID]? }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("files") { request, context -> EditedResponse<PersonalFileStore.View> in
            let caller = try context.requireCaller()
            guard let name = request.uri.queryParameters.get("name").flatMap(PersonalFileRules.name) else {
                throw ProblemDetails.invalid([.init(field: "name", message: "Cho biết tên tệp (?name=).")])
            }
            let data = try await request.bodyData(limit: PersonalFileRules.maximumBytes)
            guard !data.isEmpty else { throw ProblemDetails.invalid([.init(field: "", message: "Tệp rỗng.")]) }
            let type = request.headers[.contentType].map { String($0.prefix(200)) } ?? "application/octet-stream"
            let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            let id = UUID()
            try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await connection.query(
                    """
                    insert into personal_files (id, owner_id, name, content_type, size, sha256, data)
                    values (\(id), \(caller.id), \(name), \(type), \(data.count), \(digest), \(ByteBuffer(bytes: data)))
                    """, logger: logger)
            }
            let view = PersonalFileStore.View(
                id: id, name: name, contentType: type, size: data.count, sha256: digest, ownerName: caller.fullName, createdAt: Date(), deletedAt: nil,
                mine: true)
            return EditedResponse(status: .created, response: view)
        }
        api.get("files") { request, context -> Page<PersonalFileStore.View> in
            let caller = try context.requireCaller()
            let view = request.uri.queryParameters.get("view") ?? "mine"
            guard ["mine", "shared", "deleted"].contains(view) else {
                throw ProblemDetails.invalid([.init(field: "view", message: "Chọn mine (của tôi), shared (được chia sẻ) hoặc deleted (đã xóa).")])
            }
            let paging = try Paging(request)
            let found = try await accounts.client.withConnection { connection in
                try await PersonalFileStore.list(
                    view, person: caller.id, unit: caller.unit?.id, limit: paging.perPage, offset: paging.offset, on: connection, logger: logger)
            }
            return Page(items: found.items, total: found.total)
        }
        api.get("files/:id") { _, context -> Response in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "tài liệu")
            return try await accounts.client.withConnection { connection in
                guard let file = try await PersonalFileStore.rules(id, on: connection, logger: logger),
                    PersonalFileRules.mayRead(file, person: caller.id, unit: caller.unit?.id)
                else { throw ProblemDetails.notFound("Không tìm thấy tài liệu.") }
                for try await (name, type, data) in try await connection.query(
                    "select name, content_type, data from personal_files where id = \(id)", logger: logger
                ).decode((String, String, ByteBuffer).self) { return Response.file(named: name, type: type, data: data) }
                throw ProblemDetails.notFound("Không tìm thấy tài liệu.")
            }
        }
        api.post("files/:id/share") { request, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "tài liệu")
            let body = try await request.json(Share.self, context: context)
            let users = Array(Set(body.userIds ?? []).subtracting([caller.id])).prefix(500)
            let units = Array(Set(body.unitIds ?? [])).prefix(500)
            try await DatabaseProblem.transaction(on: accounts.client, label: "tài liệu", logger: logger) { connection in
                try await owned(id, by: caller, deleted: false, on: connection)
                try await connection.query("delete from personal_file_shares where file_id = \(id)", logger: logger)
                for user in users { try await connection.query("insert into personal_file_shares (file_id, user_id) values (\(id), \(user))", logger: logger) }
                for unit in units { try await connection.query("insert into personal_file_shares (file_id, unit_id) values (\(id), \(unit))", logger: logger) }
            }
            return .noContent
        }
        api.delete("files/:id") { _, context -> HTTPResponse.Status in try await setDeleted(true, context) }
        api.post("files/:id/restore") { _, context -> HTTPResponse.Status in try await setDeleted(false, context) }
    }

    /// Deletes (restorably) or restores the caller's own file.
    private func setDeleted(_ deleted: Bool, _ context: ServiceRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.requireCaller()
        let id = try UUID.parameter("id", of: context, what: "tài liệu")
        try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            try await owned(id, by: caller, deleted: !deleted, on: connection)
            let at: Date? = deleted ? Date() : nil
            try await connection.query("update personal_files set deleted_at = \(at) where id = \(id)", logger: logger)
        }
        return .noContent
    }

    /// The caller's own file, deleted or not as asked; anything else is the same 404.
    private func owned(_ id: UUID, by caller: Caller, deleted: Bool, on connection: PostgresConnection) async throws {
        guard let file = try await PersonalFileStore.rules(id, lock: true, on: connection, logger: logger), file.owner == caller.id,
            file.deleted == deleted
        else { throw ProblemDetails.notFound(deleted ? "Không có tài liệu đã xóa này." : "Không tìm thấy tài liệu.") }
    }
}

extension PersonalFileStore.View: ResponseCodable {}
