import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Runs `body` with a client whose connections use a new, empty schema of the test database, with
/// the messaging tables and `migrations` of `component` applied; drops the schema afterwards. Each test
/// so starts from a first start and sees no other test's data.
public func withFreshSchema<T>(
    component: String, migrations: [Migration], logger: Logger, _ body: (PostgresClient) async throws -> T
) async throws -> T {
    let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    var configuration = try DatabaseURL.configuration(TestEnvironment.databaseURL)
    configuration.options.additionalStartupParameters = [("search_path", schema)]
    let client = PostgresClient(configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        try await client.query(PostgresQuery(unsafeSQL: "create schema \(schema)"))
        do {
            let migrator = Migrator(client: client, logger: logger)
            try await migrator.migrate(component: MessagingMigrations.component, MessagingMigrations.all)
            try await migrator.migrate(component: component, migrations)
            let result = try await body(client)
            try await client.query(PostgresQuery(unsafeSQL: "drop schema \(schema) cascade"))
            return result
        } catch {
            _ = try? await client.query(PostgresQuery(unsafeSQL: "drop schema \(schema) cascade"))
            throw error
        }
    }
}
