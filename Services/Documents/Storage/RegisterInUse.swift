import Logging
import PostgresNIO
import ServiceKit

/// At least one register of each kind stays in use: partner agencies' documents arrive into an active
/// incoming register, so removing, closing or re-kinding the last one would leave every arrival with
/// nowhere to go. Register changes are serialised by a table lock, so two admins closing the last two
/// registers at once cannot both pass the check.
extension RegisterEntry {
    static func guarding(_ change: () async throws -> Void, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("lock table registers in share row exclusive mode", logger: logger)
        let before = try await kindsInUse(on: connection, logger: logger)
        try await change()
        let lost = before.subtracting(try await kindsInUse(on: connection, logger: logger))
        if lost.contains(Kind.incoming.rawValue) {
            throw ProblemDetails.conflict("Phải còn ít nhất một sổ văn bản đến đang sử dụng: văn bản điện tử đến được vào sổ này.")
        }
        if lost.contains(Kind.outgoing.rawValue) {
            throw ProblemDetails.conflict("Phải còn ít nhất một sổ văn bản đi đang sử dụng: văn bản đi được cấp số trong sổ này.")
        }
    }

    private static func kindsInUse(on connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        var kinds = Set<String>()
        for try await kind in try await connection.query("select distinct kind from registers where active", logger: logger).decode(String.self) {
            kinds.insert(kind)
        }
        return kinds
    }
}
