import Contracts
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import VietnameseText

/// The unit tree: any logged-in user reads it (forms and the directory need it); admins change it.
struct UnitRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    struct UnitBody: Decodable {
        var code: String
        var name: String
        var abbreviation: String
        var parentId: UUID?
    }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("units") { _, context -> [UnitView] in
            _ = try context.requireCaller()
            return try await accounts.client.withConnection { try await UnitStore.all(on: $0, logger: logger).map(UnitView.init) }
        }
        api.post("units") { request, context -> EditedResponse<UnitView> in
            let caller = try context.require(.admin)
            let unit = try check(try await request.json(UnitBody.self, context: context), id: UUID())
            let saved = try await write(caller, context, .unitCreated) { connection in
                try await UnitStore.insert(unit, searchKey: VietnameseText.searchKey(unit.name), on: connection, logger: logger)
                try await DirectoryEvents.unitChanged(unit, on: connection, logger: logger)
                return unit
            }
            return EditedResponse(status: .created, response: UnitView(saved))
        }
        api.put("units/:id") { request, context -> UnitView in
            let caller = try context.require(.admin)
            let id = try UUID.parameter("id", of: context, what: "đơn vị")
            let input = try check(try await request.json(UnitBody.self, context: context), id: id)
            let saved = try await write(caller, context, .unitUpdated) { connection in
                var unit = input
                guard try await UnitStore.find(id, on: connection, logger: logger) != nil else {
                    throw ProblemDetails.notFound("Không tìm thấy đơn vị.")
                }
                if let parent = unit.parentId,
                    UnitTree.wouldCycle(moving: id, under: parent, parents: try await UnitStore.parents(on: connection, logger: logger))
                {
                    throw ProblemDetails.invalid([.init(field: "parentId", message: "Không thể đặt đơn vị vào bên trong chính nó.")])
                }
                unit.version = try await UnitStore.update(unit, searchKey: VietnameseText.searchKey(unit.name), on: connection, logger: logger)
                try await DirectoryEvents.unitChanged(unit, on: connection, logger: logger)
                return unit
            }
            return UnitView(saved)
        }
        api.delete("units/:id") { _, context -> HTTPResponse.Status in
            let caller = try context.require(.admin)
            let id = try UUID.parameter("id", of: context, what: "đơn vị")
            _ = try await write(caller, context, .unitDeleted) { connection in
                guard let unit = try await UnitStore.find(id, on: connection, logger: logger) else {
                    throw ProblemDetails.notFound("Không tìm thấy đơn vị.")
                }
                let held = try await UnitStore.dependants(of: id, on: connection, logger: logger)
                var reasons: [String] = []
                if held.users > 0 { reasons.append("\(held.users) người dùng") }
                if held.children > 0 { reasons.append("\(held.children) đơn vị trực thuộc") }
                if held.registers > 0 { reasons.append("\(held.registers) sổ văn bản") }
                if !reasons.isEmpty {
                    throw ProblemDetails.conflict(
                        "Không thể xóa đơn vị “\(unit.name)” vì còn \(reasons.joined(separator: ", ")). Hãy chuyển sang đơn vị khác trước.")
                }
                try await UnitStore.delete(id, on: connection, logger: logger)
                try await DirectoryEvents.unitChanged(unit, deleted: true, on: connection, logger: logger)
                return unit
            }
            return .noContent
        }
    }

    private func check(_ body: UnitBody, id: UUID) throws -> UnitRecord {
        let unit = UnitRecord(
            id: id, parentId: body.parentId, code: VietnameseText.clean(body.code), name: VietnameseText.clean(body.name),
            abbreviation: VietnameseText.clean(body.abbreviation), version: 1)
        var errors: [ProblemDetails.FieldError] = []
        if unit.code.isEmpty { errors.append(.init(field: "code", message: "Thiếu mã đơn vị.")) }
        if unit.name.isEmpty { errors.append(.init(field: "name", message: "Thiếu tên đơn vị.")) }
        if unit.abbreviation.isEmpty || unit.abbreviation.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "-" }) {
            errors.append(.init(field: "abbreviation", message: "Chữ viết tắt (dùng trong ký hiệu văn bản) là bắt buộc, không chứa khoảng trắng, “/” hoặc “-”."))
        }
        if unit.parentId == id { errors.append(.init(field: "parentId", message: "Không thể đặt đơn vị vào bên trong chính nó.")) }
        if !errors.isEmpty { throw ProblemDetails.invalid(errors) }
        return unit
    }

    /// The change, its usage-log line and its event, in one transaction.
    private func write(
        _ caller: Caller, _ context: ServiceRequestContext, _ action: UsageAction,
        _ change: @escaping @Sendable (PostgresConnection) async throws -> UnitRecord
    ) async throws -> UnitRecord {
        do {
            return try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                let unit = try await change(connection)
                try await UsageLog.append(
                    action, userID: caller.id, username: caller.username, target: unit.code, detail: unit.name,
                    address: context.clientAddress, on: connection, logger: logger)
                return unit
            }
        } catch let error as PostgresTransactionError {
            throw DatabaseProblem.translate(error.closureError ?? error, label: "đơn vị")
        }
    }
}
