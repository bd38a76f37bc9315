import AMQPClient
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Synchronization
import TestSupport

/// A PostgreSQL client running for the duration of `body`, with the messaging tables migrated.
func withDatabase<T>(_ body: (PostgresClient) async throws -> T) async throws -> T {
    let client = PostgresClient(configuration: try DatabaseURL.configuration(TestEnvironment.databaseURL))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        try await Migrator(client: client, logger: testLogger).migrate(
            component: MessagingMigrations.component, MessagingMigrations.all)
        return try await body(client)
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "tests")
    logger.logLevel = .warning
    return logger
}()

/// Records each handled message in `effects`, so a second effect would show as a second row.
struct RecordingHandler: MessageHandler {
    let table: String
    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        struct Payload: Decodable { var value: String }
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(message.body)) else {
            throw MessageRejected("nội dung không phải JSON hợp lệ (body is not valid JSON)")
        }
        try await connection.query(
            PostgresQuery(unsafeSQL: "insert into \(table) (message_id, value) values ($1, $2)",
                          binds: try binds(message.messageID, payload.value)), logger: logger)
    }

    private func binds(_ a: String, _ b: String) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(a)
        bindings.append(b)
        return bindings
    }
}

/// Fails a message's first `failures[messageID]` deliveries (all of them when absent).
final class FlakyHandler: MessageHandler {
    let failures: [String: Int]
    private let calls = Mutex<[String: Int]>([:])
    init(failures: [String: Int]) { self.failures = failures }
    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        let call = calls.withLock { calls -> Int in
            calls[message.messageID, default: 0] += 1
            return calls[message.messageID]!
        }
        if call <= failures[message.messageID, default: Int.max] { throw TransientFailure() }
    }
    struct TransientFailure: Error {}
}

func createEffectsTable(_ client: PostgresClient) async throws -> String {
    let table = "effects_\(UUID().uuidString.prefix(8).lowercased())"
    try await client.query(PostgresQuery(unsafeSQL: "create table \(table) (message_id text not null, value text not null)"))
    return table
}

func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
    let rows = try await client.query(PostgresQuery(unsafeSQL: sql))
    for try await value in rows.decode(Int.self) { return value }
    return 0
}
