import AMQPClient
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Kills (SIGKILL) the real RabbitMQ node while the outbox relay publishes batches of 256, then starts it
/// again; it runs alone (`make test` runs suites one after another).
@Suite("Broker killed under the outbox relay", .timeLimit(.minutes(4)))
struct BrokerKilledUnderTheRelayTests {
    @Test func brokerKilledWithBatchesInFlightLosesNoCommittedRowAndDoublesNoEffect() async throws {
        try await withFreshSchema(component: "relay-kill", migrations: [], logger: testLogger) { client in
            try await withTestQueue("relay-kill") { connection, queue in
                // A quorum queue killed right after its declaration can come back leaderless (see
                // BrokerRestartTests): let it settle first.
                try await Task.sleep(for: .seconds(5))
                let total = 256 * 24
                // Bodies of 2 KB, so that a batch takes long enough on the wire to be cut by the kill.
                let padding = String(repeating: "đ", count: 1024)
                let messages = (0..<total).map { index in
                    OutboxMessage(
                        type: "test.v1", exchange: "", routingKey: queue,
                        body: Array("{\"value\":\"\(index)\",\"padding\":\"\(padding)\"}".utf8))
                }
                try await client.withTransaction(logger: testLogger) { connection in
                    try await Outbox.enqueue(messages, on: connection, logger: testLogger)
                }
                let relay = OutboxRelay(client: client, publisher: connection, appID: "tests", logger: testLogger, batchSize: 256)
                let relaying = Task { try await relay.run() }
                defer { relaying.cancel() }

                // Kill once the first batches are confirmed, while later ones are on the wire.
                let outbox = "select count(*)::int from outbox"
                while try await count(client, outbox) > total - 256 * 3 {
                    try await Task.sleep(for: .milliseconds(2))
                }
                let controller = TestEnvironment.value("IOFFICE_TEST_BROKER_CTL")
                try TestEnvironment.run(controller, ["kill"])
                let leftAtKill = try await count(client, outbox)
                #expect(leftAtKill > 0, "the relay finished before the kill; the test proved nothing")
                try await Task.sleep(for: .seconds(1))
                try TestEnvironment.run(controller, ["start"])

                // Every committed row reaches the queue: the outbox empties by itself after the restart.
                let drained = try await eventually(timeout: .seconds(120)) { try await count(client, outbox) == 0 ? true : nil }
                let stranded = try await count(client, outbox)
                #expect(drained == true, "\(stranded) rows never left the outbox")
                #expect(try await count(client, "select count(*)::int from outbox_parked") == 0)
                #expect(connection.connectCount >= 2, "the relay's connection did not reconnect")

                // A row confirmed by the dead node but not yet deleted goes out twice with one message_id;
                // the consumer's inbox keeps it to one effect.
                // At least one of each row; more when the dead node had confirmed rows the relay had not deleted.
                let published = try await connection.queueStatus(queue).messageCount
                #expect(published >= total)
                let effects = try await createEffectsTable(client)
                let worker = QueueWorker(
                    queue: queue, prefetch: 256, consumerConnection: connection, publisher: connection, client: client,
                    handler: RecordingHandler(table: effects), logger: testLogger)
                let consuming = Task { try await worker.run() }
                defer { consuming.cancel() }
                _ = try await eventually(timeout: .seconds(120)) {
                    try await count(client, "select count(distinct message_id)::int from \(effects)") == total ? true : nil
                }
                try await Task.sleep(for: .seconds(1))
                #expect(try await count(client, "select count(distinct message_id)::int from \(effects)") == total)
                #expect(try await count(client, "select count(*)::int from \(effects)") == total)
                #expect(try await count(client, "select count(distinct value)::int from \(effects)") == total)
                #expect(try await connection.queueStatus(queue + ".dlq").messageCount == 0)
                print("broker killed with \(leftAtKill) of \(total) rows still in the outbox; \(published - total) published twice")
            }
        }
    }
}
