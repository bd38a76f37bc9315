import Logging
import PostgresNIO

/// Applies migrations at start-up. An advisory lock lets several instances start at once.
public struct Migrator: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Applies what is missing of `migrations` for `component`; returns the versions applied now.
    @discardableResult
    public func migrate(component: String, _ migrations: [Migration]) async throws -> [Int] {
        try await client.query(
            """
            create table if not exists schema_migrations (
                component text not null, version integer not null, name text not null,
                applied_at timestamptz not null default now(), primary key (component, version))
            """, logger: logger)
        var applied: [Int] = []
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            let done = try await client.withTransaction(logger: logger) { connection in
                // Serialises concurrent starts; released at commit.
                try await connection.query("select pg_advisory_xact_lock(hashtext('schema_migrations'))", logger: logger)
                let rows = try await connection.query(
                    "select 1 from schema_migrations where component = \(component) and version = \(migration.version)",
                    logger: logger)
                for try await _ in rows { return false }
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "insert into schema_migrations (component, version, name) values (\(component), \(migration.version), \(migration.name))",
                    logger: logger)
                return true
            }
            if done {
                applied.append(migration.version)
                logger.info("migration applied", metadata: ["component": "\(component)", "version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
        return applied
    }
}
