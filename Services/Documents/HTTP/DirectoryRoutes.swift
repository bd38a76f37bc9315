import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import VietnameseText

/// Danh bạ: anyone logged in finds colleagues by name (with or without diacritics) and unit.
struct DirectoryRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("directory") { request, context -> Page<DirectoryEntry> in
            _ = try context.requireCaller()
            let paging = try Paging(request)
            let query = request.uri.queryParameters.get("q").map(VietnameseText.searchKey).flatMap { $0.isEmpty ? nil : $0 }
            let unitID = request.uri.queryParameters.get("unitId").flatMap(UUID.init(uuidString:))
            return try await accounts.client.withConnection { connection in
                let found = try await UserStore.search(
                    searchKey: query, unitID: unitID, activeOnly: true, limit: paging.perPage, offset: paging.offset, on: connection,
                    logger: logger)
                let units = Dictionary(uniqueKeysWithValues: try await UnitStore.all(on: connection, logger: logger).map { ($0.id, $0.name) })
                return Page(
                    items: found.users.map {
                        DirectoryEntry(
                            id: $0.id, username: $0.username, fullName: $0.fullName, unitId: $0.unitId, unitName: units[$0.unitId] ?? "",
                            position: $0.position, phone: $0.phone, email: $0.email, roles: $0.roles.map(\.rawValue).sorted())
                    }, total: found.total)
            }
        }
    }
}
