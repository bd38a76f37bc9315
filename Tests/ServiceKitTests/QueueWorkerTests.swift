import AMQPClient
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@Suite("Consumers: inbox, dead-lettering, retries, against the real database and broker", .timeLimit(.minutes(3)))
struct QueueWorkerTests {
    /// Publishes a JSON test message with the given id.
    func send(_ connection: AMQPConnection, _ queue: String, id: String, body: String) async throws {
        try await connection.publish(
            Array(body.utf8), exchange: "", routingKey: queue,
            properties: AMQPProperties(messageID: id, type: "test.v1", contentType: "application/json"))
    }

    /// Runs a worker until `condition` holds (or 15 s pass), then stops it and waits until it has stopped
    /// (so that its consumer takes nothing meant for the next worker).
    func runWorker(_ worker: QueueWorker, until condition: @Sendable () async throws -> Bool) async throws {
        let task = Task { try await worker.run() }
        let deadline = ContinuousClock.now + .seconds(15)
        while try await !condition(), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        task.cancel()
        _ = try? await task.value
    }

    /// The in-process half of the inbox's promise (the real process killed with SIGKILL between commit
    /// and ack is DocumentsTests' KilledBeforeAckTests): a first consumer committed the effect, and its
    /// connection went away before the ack.
    @Test func aMessageCommittedByAConsumerThatLostItsConnectionBeforeTheAckIsRedeliveredAndAddsNoSecondEffect() async throws {
        try await withDatabase { client in
            try await withTestQueue("inbox") { connection, queue in
                let table = try await createEffectsTable(client)
                let handler = RecordingHandler(table: table)
                try await send(connection, queue, id: "msg-1", body: "{\"value\":\"một\"}")

                // First consumer: handles and commits, then loses its connection before acking.
                let doomed = try TestEnvironment.connection("inbox-doomed")
                try await doomed.waitUntilConnected()
                let first = try #require(try await collect(try await doomed.consume(queue: queue), count: 1, timeout: .seconds(5), ack: false).first)
                try await client.withTransaction(logger: testLogger) { db in
                    #expect(try await Inbox.claim(messageID: "msg-1", type: "test.v1", consumer: queue, on: db, logger: testLogger))
                    try await handler.handle(
                        IncomingMessageFixture.make(first), connection: db, logger: testLogger)
                }
                await doomed.close()
                // The broker has it back (ready again, not merely unacked).
                #expect(try await eventually { try await connection.queueStatus(queue).messageCount == 1 ? true : nil } == true)

                // The worker receives it again, finds it in the inbox and acks it without a second effect.
                // Its connection is closed before the queue is read: whatever it had not acked would be
                // back in the queue then, so an empty queue means the redelivery was acked.
                let workerConnection = try TestEnvironment.connection("inbox-worker")
                try await workerConnection.waitUntilConnected()
                let worker = QueueWorker(
                    queue: queue, consumerConnection: workerConnection, publisher: connection, client: client, handler: handler,
                    logger: testLogger)
                let running = Task { try await worker.run() }
                _ = try await eventually { try await connection.queueStatus(queue).messageCount == 0 ? true : nil }
                try await Task.sleep(for: .milliseconds(500))
                running.cancel()
                _ = try? await running.value
                await workerConnection.close()
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await connection.queueStatus(queue).messageCount == 0, "the redelivered message was never acked")
                #expect(try await count(client, "select count(*)::int from \(table)") == 1)
                #expect(try await count(client, "select count(*)::int from inbox where message_id = 'msg-1' and consumer = '\(queue)'") == 1)
            }
        }
    }

    @Test func malformedMessageLandsInTheDeadLetterQueueWithTheReasonAndTheConsumerKeepsGoing() async throws {
        try await withDatabase { client in
            try await withTestQueue("dlq") { connection, queue in
                let table = try await createEffectsTable(client)
                try await send(connection, queue, id: "bad-1", body: "this is not json")
                try await send(connection, queue, id: "good-1", body: "{\"value\":\"hai\"}")

                let worker = QueueWorker(
                    queue: queue, consumerConnection: connection, publisher: connection, client: client,
                    handler: RecordingHandler(table: table), logger: testLogger)
                try await runWorker(worker) { try await count(client, "select count(*)::int from \(table)") == 1 }
                #expect(try await count(client, "select count(*)::int from \(table) where message_id = 'good-1'") == 1)

                let parked = try #require(
                    try await collect(try await connection.consume(queue: queue + ".dlq"), count: 1, timeout: .seconds(5)).first)
                #expect(parked.properties.messageID == "bad-1")
                #expect(parked.properties.headers["x-ioffice-error"]?.contains("JSON") == true)
                #expect(parked.properties.headers["x-ioffice-queue"] == queue)
                #expect(String(decoding: parked.body, as: UTF8.self) == "this is not json")
            }
        }
    }

    /// What a stolen credential of another service would publish (a "signing.verified" from Calendar's
    /// user): the broker vouches for user_id, the consumer checks it against the producers it expects.
    @Test func aMessageFromABrokerUserThatDoesNotProduceItIsDeadLetteredAsForgedAndNeverHandled() async throws {
        try await withDatabase { client in
            try await withTestQueue("forged") { connection, queue in
                let table = try await createEffectsTable(client)
                let me = connection.configuration.user
                for (id, user) in [("forged-1", me), ("forged-2", nil)] as [(String, String?)] {
                    try await connection.publish(
                        Array("{\"value\":\"giả mạo\"}".utf8), exchange: "", routingKey: queue,
                        properties: AMQPProperties(messageID: id, type: "test.v1", contentType: "application/json", userID: user))
                }
                let worker = QueueWorker(
                    queue: queue, consumerConnection: connection, publisher: connection, client: client,
                    handler: RecordingHandler(table: table), producers: ["signing"], logger: testLogger)
                try await runWorker(worker) { try await connection.queueStatus(queue + ".dlq").messageCount >= 2 }
                let parked = try await collect(try await connection.consume(queue: queue + ".dlq"), count: 2, timeout: .seconds(5))
                #expect(Set(parked.compactMap(\.properties.messageID)) == ["forged-1", "forged-2"])
                #expect(parked.allSatisfy { $0.properties.headers["x-ioffice-error"]?.hasPrefix("forged") == true })
                #expect(try await count(client, "select count(*)::int from \(table)") == 0)

                // From the producer it expects (user_id set, as the outbox relay sets it), the message is handled.
                try await connection.publish(
                    Array("{\"value\":\"thật\"}".utf8), exchange: "", routingKey: queue,
                    properties: AMQPProperties(messageID: "genuine-1", type: "test.v1", contentType: "application/json", userID: me))
                let trusting = QueueWorker(
                    queue: queue, consumerConnection: connection, publisher: connection, client: client,
                    handler: RecordingHandler(table: table), producers: [me], logger: testLogger)
                try await runWorker(trusting) { try await count(client, "select count(*)::int from \(table)") == 1 }
                #expect(try await count(client, "select count(*)::int from \(table) where message_id = 'genuine-1'") == 1)

                // An operator's replay of a dead letter comes as the consumer's own user: its first sender decides.
                for (id, sender) in [("replayed-1", "signing"), ("replayed-2", "calendar")] {
                    try await connection.publish(
                        Array("{\"value\":\"\(id)\"}".utf8), exchange: "", routingKey: queue,
                        properties: AMQPProperties(
                            messageID: id, type: "test.v1", contentType: "application/json", userID: me,
                            headers: ["x-ioffice-original-user-id": sender]))
                }
                let replaying = QueueWorker(
                    queue: queue, consumerConnection: connection, publisher: connection, client: client,
                    handler: RecordingHandler(table: table), producers: ["signing"], logger: testLogger)
                try await runWorker(replaying) { try await connection.queueStatus(queue + ".dlq").messageCount >= 1 }
                #expect(try await count(client, "select count(*)::int from \(table) where message_id = 'replayed-1'") == 1)
                #expect(try await count(client, "select count(*)::int from \(table) where message_id = 'replayed-2'") == 0)
            }
        }
    }

    @Test func failingMessageIsRetriedThenDeadLetteredWithItsLastError() async throws {
        try await withDatabase { client in
            try await withTestQueue("retry") { connection, queue in
                try await send(connection, queue, id: "flaky-1", body: "{}")
                try await send(connection, queue, id: "doomed-1", body: "{}")

                // The first fails twice then succeeds on its third delivery; the second always fails.
                let handler = FlakyHandler(failures: ["flaky-1": 2])
                let worker = QueueWorker(
                    queue: queue, maxAttempts: 3, consumerConnection: connection, publisher: connection, client: client,
                    handler: handler, logger: testLogger)
                try await runWorker(worker) { try await connection.queueStatus(queue + ".dlq").messageCount >= 1 }
                let parked = try await collect(try await connection.consume(queue: queue + ".dlq"), count: 2, timeout: .seconds(2))
                #expect(parked.count == 1)
                #expect(parked.first?.properties.headers["x-ioffice-error"]?.contains("failed 3 times") == true)
                #expect(try await count(client, "select count(*)::int from inbox where consumer = '\(queue)'") == 1)
            }
        }
    }
}

enum IncomingMessageFixture {
    static func make(_ delivery: AMQPDelivery) -> IncomingMessage {
        IncomingMessage(
            messageID: delivery.properties.messageID ?? "", type: delivery.properties.type, body: delivery.body,
            properties: delivery.properties, routingKey: delivery.routingKey, redelivered: delivery.redelivered)
    }
}
