import Contracts
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit

/// `GET /api/v1/usage-log?username=&action=&from=&to=`: the append-only log, newest first: every line for
/// admins, one's own lines (what was done with one's account, failed logins included) for everyone else
/// (seed §6.9).
struct UsageLogRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("usage-log") { request, context -> Page<UsageLog.Entry> in
            let caller = try context.requireCaller()
            let own = caller.has(.admin) ? nil : caller.id
            let parameters = request.uri.queryParameters
            let paging = try Paging(request)
            let from = try parameters.get("from").map { try Self.date($0, field: "from") }
            let to = try parameters.get("to").map { try Self.date($0, field: "to") }
            let found = try await accounts.client.withConnection { connection in
                try await UsageLog.query(
                    username: parameters.get("username").map { $0.lowercased() }, userID: own, action: parameters.get("action"), from: from, to: to,
                    limit: paging.perPage, offset: paging.offset, on: connection, logger: logger)
            }
            return Page(items: found.entries, total: found.total)
        }
    }

    /// ISO 8601 date-time, or a date (`2026-11-25`, from midnight UTC).
    static func date(_ text: String, field: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return date }
        throw ProblemDetails.invalid([.init(field: field, message: "Ngày giờ không hợp lệ (ví dụ 2026-11-25 hoặc 2026-11-25T08:00:00Z).")])
    }
}
