import Logging
import PostgresNIO

/// One page of a filtered list and the size of the whole list, from the same `from … where …` text
/// and binds.
enum PagedQuery {
    static func run(
        columns: String, from filter: PostgresQuery, orderBy: String, limit: Int, offset: Int, on connection: PostgresConnection,
        logger: Logger
    ) async throws -> (rows: PostgresRowSequence, total: Int) {
        var total = 0
        for try await count in try await connection.query(
            PostgresQuery(unsafeSQL: "select count(*)::int " + filter.sql, binds: filter.binds), logger: logger
        ).decode(Int.self) { total = count }
        var binds = filter.binds
        try binds.encode(limit)
        try binds.encode(offset)
        let n = binds.count
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "select \(columns) " + filter.sql + " order by \(orderBy) limit $\(n - 1) offset $\(n)", binds: binds),
            logger: logger)
        return (rows, total)
    }
}
