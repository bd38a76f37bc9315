import Contracts
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import VietnameseText

/// Hồ sơ công việc: `GET|POST /api/v1/dossiers`, `GET|PUT /api/v1/dossiers/{id}`, `POST
/// /api/v1/dossiers/{id}/items`, `DELETE /api/v1/dossiers/{id}/items/{entry}`, `POST
/// /api/v1/dossiers/{id}/share`. Who may do what is `DossierRules`'; someone without access gets the
/// same 404 as for a dossier that does not exist.
struct DossierRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    struct View: ResponseCodable, Sendable {
        var id: UUID
        var name: String
        var parentId: UUID?
        var unitId: UUID?
        var ownerName: String
        var closed: Bool
        /// `read`, `file` or `manage`.
        var access: String
        var entries: Int
        var sharedUserIds: [UUID]?
        var sharedUnitIds: [UUID]?
        var children: [View]?
    }

    struct Detail: ResponseCodable, Sendable {
        var dossier: View
        var items: [DossierStore.Entry]
    }

    struct NewDossier: Decodable { var name: String; var parentId: UUID?; var unitId: UUID? }
    struct Change: Decodable { var name: String; var parentId: UUID?; var closed: Bool }
    struct NewItem: Decodable { var incomingId: UUID?; var outgoingId: UUID?; var taskId: UUID?; var fileId: UUID? }
    struct Share: Decodable { var userIds: [UUID]?; var unitIds: [UUID]? }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("dossiers") { request, context -> [View] in
            let caller = try context.requireCaller()
            let person = Self.person(caller)
            let rows = try await accounts.client.withConnection { try await DossierStore.visible(to: person, on: $0, logger: logger) }
            let views = rows.map { Self.view($0, for: person) }
            return request.uri.queryParameters.get("tree") == "true" ? Self.tree(views) : views
        }
        api.post("dossiers") { request, context -> EditedResponse<View> in
            let caller = try context.requireCaller()
            let body = try await request.json(NewDossier.self, context: context)
            let name = try Self.name(body.name)
            let person = Self.person(caller)
            guard DossierRules.mayCreate(for: body.unitId, by: person) else {
                throw ProblemDetails.forbidden("Chỉ lãnh đạo đơn vị hoặc thủ trưởng cơ quan lập hồ sơ của đơn vị.")
            }
            let id = UUID()
            let created = try await DatabaseProblem.transaction(on: accounts.client, label: "hồ sơ", logger: logger) { connection -> View in
                let draft = DossierRules.Dossier(id: id, owner: caller.id, unit: body.unitId, parent: body.parentId, closed: false)
                if let parentId = body.parentId {
                    guard let parent = try await DossierStore.find(parentId, lock: true, on: connection, logger: logger),
                        DossierRules.access(of: person, to: parent.rules) >= .file
                    else { throw ProblemDetails.invalid([.init(field: "parentId", message: "Không tìm thấy hồ sơ cha.")]) }
                    if let problem = DossierRules.moveProblem(draft, under: parent.rules, parents: [:]) {
                        throw ProblemDetails.invalid([.init(field: "parentId", message: problem)])
                    }
                }
                try await connection.query(
                    "insert into dossiers (id, owner_id, name, parent_id, unit_id) values (\(id), \(caller.id), \(name), \(body.parentId), \(body.unitId))",
                    logger: logger)
                return try await view(id, for: person, on: connection)
            }
            return EditedResponse(status: .created, response: created)
        }
        api.get("dossiers/:id") { _, context -> Detail in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "hồ sơ")
            let person = Self.person(caller)
            return try await accounts.client.withConnection { connection in
                let row = try await readable(id, by: person, on: connection)
                var items: [DossierStore.Entry] = []
                // Only what the reader may see of what the dossier holds: a share shows no secret subject.
                for entry in try await DossierStore.entries(of: id, on: connection, logger: logger)
                where try await mayRead(entry.kind, entry.itemId, caller: caller, on: connection) {
                    items.append(entry)
                }
                return Detail(dossier: Self.view(row, for: person), items: items)
            }
        }
        api.put("dossiers/:id") { request, context -> View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "hồ sơ")
            let body = try await request.json(Change.self, context: context)
            let name = try Self.name(body.name)
            let person = Self.person(caller)
            return try await DatabaseProblem.transaction(on: accounts.client, label: "hồ sơ", logger: logger) { connection in
                // Moves are serialised, so that two cannot make a cycle together.
                try await connection.query("select pg_advisory_xact_lock(hashtext('ioffice.dossiers.move'))", logger: logger)
                let row = try await readable(id, by: person, on: connection, lock: true)
                guard DossierRules.access(of: person, to: row.rules) == .manage else {
                    throw ProblemDetails.forbidden("Chỉ người lập hồ sơ (hoặc lãnh đạo đơn vị) mới sửa, chuyển hoặc đóng hồ sơ.")
                }
                if body.parentId != row.rules.parent, let parentId = body.parentId {
                    guard let parent = try await DossierStore.find(parentId, on: connection, logger: logger),
                        DossierRules.access(of: person, to: parent.rules) >= .file
                    else { throw ProblemDetails.invalid([.init(field: "parentId", message: "Không tìm thấy hồ sơ cha.")]) }
                    let parents = try await DossierStore.parents(on: connection, logger: logger)
                    if let problem = DossierRules.moveProblem(row.rules, under: parent.rules, parents: parents) {
                        throw ProblemDetails.invalid([.init(field: "parentId", message: problem)])
                    }
                }
                try await connection.query(
                    "update dossiers set name = \(name), parent_id = \(body.parentId), closed = \(body.closed), updated_at = now() where id = \(id)",
                    logger: logger)
                return try await view(id, for: person, on: connection)
            }
        }
        api.post("dossiers/:id/items") { request, context -> EditedResponse<DossierStore.Entry> in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "hồ sơ")
            let body = try await request.json(NewItem.self, context: context)
            let chosen = [("incoming", body.incomingId), ("outgoing", body.outgoingId), ("task", body.taskId), ("file", body.fileId)].compactMap { kind, item in
                item.map { (kind, $0) }
            }
            guard chosen.count == 1, let (kind, item) = chosen.first else {
                throw ProblemDetails.invalid([.init(field: "", message: "Chọn đúng một văn bản đến, văn bản đi, công việc hoặc tài liệu.")])
            }
            let person = Self.person(caller)
            let entry = try await DatabaseProblem.transaction(on: accounts.client, label: "hồ sơ", logger: logger) { connection -> DossierStore.Entry in
                let row = try await readable(id, by: person, on: connection, lock: true)
                guard DossierRules.access(of: person, to: row.rules) >= .file else { throw ProblemDetails.forbidden("Bạn chỉ được xem hồ sơ này.") }
                guard !row.rules.closed else { throw ProblemDetails.conflict("Hồ sơ đã đóng, không lưu thêm được.") }
                guard try await mayRead(kind, item, caller: caller, on: connection) else {
                    throw ProblemDetails.invalid([.init(field: kind + "Id", message: "Không tìm thấy văn bản hoặc công việc này.")])
                }
                try await connection.query(
                    """
                    insert into dossier_entries (id, dossier_id, kind, item_id, added_by) values (\(UUID()), \(id), \(kind), \(item), \(caller.id))
                    on conflict (dossier_id, kind, item_id) do nothing
                    """, logger: logger)
                try await connection.query("update dossiers set updated_at = now() where id = \(id)", logger: logger)
                guard let entry = try await DossierStore.entries(of: id, on: connection, logger: logger).first(where: { $0.kind == kind && $0.itemId == item })
                else { throw ProblemDetails.notFound("Không tìm thấy hồ sơ.") }
                return entry
            }
            return EditedResponse(status: .created, response: entry)
        }
        api.delete("dossiers/:id/items/:entry") { _, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "hồ sơ")
            let entry = try UUID.parameter("entry", of: context, what: "mục của hồ sơ")
            let person = Self.person(caller)
            try await DatabaseProblem.transaction(on: accounts.client, label: "hồ sơ", logger: logger) { connection in
                let row = try await readable(id, by: person, on: connection, lock: true)
                guard DossierRules.access(of: person, to: row.rules) >= .file else { throw ProblemDetails.forbidden("Bạn chỉ được xem hồ sơ này.") }
                guard !row.rules.closed else { throw ProblemDetails.conflict("Hồ sơ đã đóng.") }
                var removed = false
                for try await _ in try await connection.query(
                    "delete from dossier_entries where id = \(entry) and dossier_id = \(id) returning 1", logger: logger
                ) { removed = true }
                guard removed else { throw ProblemDetails.notFound("Không tìm thấy mục này trong hồ sơ.") }
            }
            return .noContent
        }
        api.post("dossiers/:id/share") { request, context -> View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "hồ sơ")
            let body = try await request.json(Share.self, context: context)
            let users = Array(Set(body.userIds ?? [])).prefix(500)
            let units = Array(Set(body.unitIds ?? [])).prefix(500)
            let person = Self.person(caller)
            return try await DatabaseProblem.transaction(on: accounts.client, label: "hồ sơ", logger: logger) { connection in
                let row = try await readable(id, by: person, on: connection, lock: true)
                guard DossierRules.access(of: person, to: row.rules) == .manage else {
                    throw ProblemDetails.forbidden("Chỉ người lập hồ sơ (hoặc lãnh đạo đơn vị) mới chia sẻ hồ sơ.")
                }
                // The list given replaces the one there; unknown people or units are refused by their references.
                try await connection.query("delete from dossier_shares where dossier_id = \(id)", logger: logger)
                for user in users {
                    try await connection.query("insert into dossier_shares (dossier_id, user_id) values (\(id), \(user))", logger: logger)
                }
                for unit in units {
                    try await connection.query("insert into dossier_shares (dossier_id, unit_id) values (\(id), \(unit))", logger: logger)
                }
                return try await view(id, for: person, on: connection)
            }
        }
    }

    /// The dossier if `person` may read it; otherwise the same 404 as for one that does not exist.
    private func readable(_ id: UUID, by person: DossierRules.Person, on connection: PostgresConnection, lock: Bool = false) async throws
        -> DossierStore.Row
    {
        guard let row = try await DossierStore.find(id, lock: lock, on: connection, logger: logger),
            DossierRules.access(of: person, to: row.rules) >= .read
        else { throw ProblemDetails.notFound("Không tìm thấy hồ sơ.") }
        return row
    }

    private func view(_ id: UUID, for person: DossierRules.Person, on connection: PostgresConnection) async throws -> View {
        guard let row = try await DossierStore.find(id, on: connection, logger: logger) else { throw ProblemDetails.notFound("Không tìm thấy hồ sơ.") }
        return Self.view(row, for: person)
    }

    /// Whether the caller may see the item itself: a dossier never shows what its reader could not open.
    private func mayRead(_ kind: String, _ item: UUID, caller: Caller, on connection: PostgresConnection) async throws -> Bool {
        switch kind {
        case "incoming": return try await IncomingQueries.canSee(item, viewer: .init(caller: caller), on: connection, logger: logger)
        case "outgoing":
            return try await OutgoingQueries.canSee(
                item, viewer: .init(caller: caller), on: connection, logger: logger)
        case "file":
            guard let file = try await PersonalFileStore.rules(item, on: connection, logger: logger) else { return false }
            return PersonalFileRules.mayRead(file, person: caller.id, unit: caller.unit?.id)
        default:
            for try await (creator, assignee) in try await connection.query(
                "select created_by, assignee from tasks where id = \(item)", logger: logger
            ).decode((UUID, UUID).self) {
                return TaskRules.mayView(creator: creator, assignee: assignee, viewer: TaskRoutes.person(caller))
            }
            return false
        }
    }

    static func person(_ caller: Caller) -> OfficePerson { OfficePerson(caller: caller) }

    static func name(_ raw: String) throws -> String {
        let name = VietnameseText.clean(raw)
        if let problem = DossierRules.nameProblem(name) { throw ProblemDetails.invalid([.init(field: "name", message: problem)]) }
        return name
    }

    static func view(_ row: DossierStore.Row, for person: DossierRules.Person) -> View {
        let access = DossierRules.access(of: person, to: row.rules)
        let manages = access == .manage
        return View(
            id: row.rules.id, name: row.name, parentId: row.rules.parent, unitId: row.rules.unit, ownerName: row.ownerName, closed: row.rules.closed,
            access: "\(access)", entries: row.entries, sharedUserIds: manages ? row.rules.sharedUsers.sorted { $0.uuidString < $1.uuidString } : nil,
            sharedUnitIds: manages ? row.rules.sharedUnits.sorted { $0.uuidString < $1.uuidString } : nil, children: nil)
    }

    /// The flat list as trees: a dossier whose parent the reader cannot see stands at the top.
    static func tree(_ views: [View]) -> [View] {
        let ids = Set(views.map(\.id))
        let children = Dictionary(grouping: views.filter { $0.parentId.map(ids.contains) == true }, by: { $0.parentId! })
        func build(_ view: View, depth: Int) -> View {
            var node = view
            node.children = depth < 64 ? (children[view.id] ?? []).map { build($0, depth: depth + 1) } : []
            return node
        }
        return views.filter { $0.parentId.map(ids.contains) != true }.map { build($0, depth: 0) }
    }
}

extension DossierStore.Entry: ResponseCodable {}
