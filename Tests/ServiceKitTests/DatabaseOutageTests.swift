import AMQPClient
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Stops the real PostgreSQL in immediate mode (`IOFFICE_TEST_POSTGRES_CTL`: every backend killed, no
/// checkpoint, crash recovery on start) while a worker is handling a queue.
@Suite("Database outage during ingest", .serialized, .timeLimit(.minutes(3)))
struct DatabaseOutageTests {
    @Test func postgresStoppedInImmediateModeDuringIngestDeadLettersNothingAndEveryMessageIsHandledOnceAfterItReturns() async throws {
        let controller = TestEnvironment.value("IOFFICE_TEST_POSTGRES_CTL")
        try await withDatabase { client in
            try await withTestQueue("pg-outage") { connection, queue in
                let table = try await createEffectsTable(client)
                let total = 400
                for index in 0..<total {
                    try await connection.publish(
                        Array("{\"value\":\"\(index)\"}".utf8), exchange: "", routingKey: queue,
                        properties: AMQPProperties(messageID: "pg-\(index)", type: "test.v1", contentType: "application/json"))
                }
                // Few attempts, so that spending them on the outage would dead-letter at once; a short
                // deadline, since a query the server died under can stay unanswered (Deadline.swift).
                let worker = QueueWorker(
                    queue: queue, maxAttempts: 2, attemptTimeout: .seconds(5), concurrency: 4, consumerConnection: connection, publisher: connection,
                    client: client, handler: RecordingHandler(table: table), logger: testLogger)
                let task = Task { try await worker.run() }
                defer { task.cancel() }

                try await waitUntil(.seconds(60)) { try await count(client, "select count(*)::int from \(table)") >= 40 }
                try TestEnvironment.run(controller, ["stop-immediate"])
                try await Task.sleep(for: .seconds(3))
                try TestEnvironment.run(controller, ["start"])

                try await waitUntil(.seconds(90)) { (try? await count(client, "select count(*)::int from \(table)")) ?? 0 >= total }
                #expect(try await count(client, "select count(distinct message_id)::int from \(table)") == total)
                #expect(try await count(client, "select count(*)::int from \(table)") == total)
                #expect(try await connection.queueStatus(queue + ".dlq").messageCount == 0)
                try await waitUntil(.seconds(10)) { try await connection.queueStatus(queue).messageCount == 0 }
            }
        }
    }
}

/// Polls `condition` every 100 ms until it holds; fails the test when `limit` passes first.
func waitUntil(_ limit: Duration, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("condition not met within \(limit)")
            return
        }
        try await Task.sleep(for: .milliseconds(100))
    }
}
