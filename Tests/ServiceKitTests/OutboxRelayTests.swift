import AMQPClient
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The relay against the real database and broker: refused rows, parking, replay, and the commit wake-up.
@Suite("Outbox relay: refused rows, parking and wake-up", .serialized, .timeLimit(.minutes(2)))
struct OutboxRelayTests {
    @Test func permanentlyUnroutableRowIsParkedAfterItsAttemptsWhileTheRowsBehindItArePublished() async throws {
        try await withDatabase { client in
            try await withTestQueue("relay-parking") { connection, queue in
                let tag = UUID().uuidString.prefix(8).lowercased()
                // First an agency without a queue (a basic.return), then an exchange that does not exist
                // (the broker closes the publish channel), then ordinary rows behind them.
                let unroutable = OutboxMessage(type: "test.v1", exchange: "", routingKey: "test.nobody.\(tag)", body: Array("{}".utf8))
                let noExchange = OutboxMessage(type: "test.v1", exchange: "test.missing.\(tag)", routingKey: "x", body: Array("{}".utf8))
                let good = (0..<20).map { index in
                    OutboxMessage(type: "test.v1", exchange: "", routingKey: queue, body: Array("{\"value\":\"\(index)\"}".utf8))
                }
                try await client.withTransaction(logger: testLogger) { connection in
                    try await Outbox.enqueue([unroutable, noExchange] + good, on: connection, logger: testLogger)
                }
                let relay = OutboxRelay(
                    client: client, publisher: connection, appID: "tests", logger: testLogger, maxAttempts: 3,
                    retryDelay: .zero ... .zero)

                let first = try await relay.relayBatch()
                #expect(first.brokerAway == false)
                #expect(try await connection.queueStatus(queue).messageCount == 20)
                #expect(try await attempts(client, unroutable.messageID) == 1)
                #expect(try await attempts(client, noExchange.messageID) == 1)

                for _ in 0..<2 { try await relay.relayBatch() }
                #expect(try await count(client, "select count(*)::int from outbox where message_id in ('\(unroutable.messageID)', '\(noExchange.messageID)')") == 0)
                let reasons = try await parkedReasons(client, [unroutable.messageID, noExchange.messageID])
                #expect(reasons[unroutable.messageID]?.contains("unroutable") == true)
                #expect(reasons[noExchange.messageID]?.contains("channel closed") == true)
                // The good rows went out once each, however often the bad ones were retried.
                #expect(try await connection.queueStatus(queue).messageCount == 20)
                for message in good {
                    #expect(try await count(client, "select count(*)::int from outbox where message_id = '\(message.messageID)'") == 0)
                }

                // Once the agency has its queue, the operator's replay delivers the parked row once.
                try await connection.declare(Topology(queues: [.init("test.nobody.\(tag)")]))
                defer { Task { try? await connection.deleteQueue("test.nobody.\(tag)") } }
                #expect(try await replay(client, unroutable.messageID))
                #expect(try await replay(client, unroutable.messageID) == false)
                try await relay.relayBatch()
                #expect(try await connection.queueStatus("test.nobody.\(tag)").messageCount == 1)
                #expect(try await count(client, "select count(*)::int from outbox_parked where message_id = '\(unroutable.messageID)'") == 0)
                try await connection.deleteQueue("test.nobody.\(tag)")
                try await client.query("delete from outbox_parked where message_id = \(noExchange.messageID)")
            }
        }
    }

    @Test func aRowThatExpiresIsPublishedWithItsExpirationAndAStaleOneIsNeverDelivered() async throws {
        try await withDatabase { client in
            try await withTestQueue("relay-expiry") { connection, queue in
                let stale = OutboxMessage(
                    type: "test.v1", exchange: "", routingKey: queue, body: Array("{}".utf8), expiresAt: Date().addingTimeInterval(-5))
                let fresh = OutboxMessage(
                    type: "test.v1", exchange: "", routingKey: queue, body: Array("{}".utf8), expiresAt: Date().addingTimeInterval(60))
                try await client.withTransaction(logger: testLogger) { connection in
                    try await Outbox.enqueue([stale, fresh], on: connection, logger: testLogger)
                }
                let relay = OutboxRelay(client: client, publisher: connection, appID: "tests", logger: testLogger)
                // A consumer already waiting: RabbitMQ hands it even a message whose expiration is 0, and
                // dead-letters one no consumer takes at once; a stale row must not be published at all.
                let consumer = try await connection.consume(queue: queue)
                let round = try await relay.relayBatch()
                #expect(round.expired == 1 && round.confirmed == 1)
                let received = try await collect(consumer, count: 2, timeout: .seconds(3))
                await consumer.cancel()
                // Only the fresh one, with the time it has left; the stale one was dropped in the outbox.
                #expect(received.map(\.properties.messageID) == [fresh.messageID.uuidString.lowercased()])
                #expect(try await count(client, "select count(*)::int from outbox where message_id in ('\(stale.messageID)', '\(fresh.messageID)')") == 0)
                let left = Int(received.first?.properties.expiration ?? "") ?? 0
                #expect((50_000...60_000).contains(left), "expiration \(left) ms")
            }
        }
    }

    @Test func aCommittedRowWakesTheRelayWithoutWaitingForItsPoll() async throws {
        try await withDatabase { client in
            try await withTestQueue("relay-notify") { connection, queue in
                // A poll interval longer than the test: only the commit's NOTIFY can wake the relay in time.
                let relay = OutboxRelay(client: client, publisher: connection, appID: "tests", logger: testLogger, pollInterval: .seconds(600))
                let running = Task { try await relay.run() }
                defer { running.cancel() }
                // Let the relay drain what is there and start listening.
                try await Task.sleep(for: .seconds(1))
                let consumer = try await connection.consume(queue: queue)
                for round in 0..<3 {
                    let message = OutboxMessage(
                        type: "test.v1", exchange: "", routingKey: queue, body: Array("{\"value\":\"\(round)\"}".utf8))
                    try await client.withTransaction(logger: testLogger) { connection in
                        try await Outbox.enqueue(message, on: connection, logger: testLogger)
                    }
                    let received = try await collect(consumer, count: 1, timeout: .seconds(5))
                    #expect(received.first?.properties.messageID == message.messageID.uuidString.lowercased())
                }
                await consumer.cancel()
            }
        }
    }
}

private func attempts(_ client: PostgresClient, _ id: UUID) async throws -> Int {
    try await count(client, "select attempts from outbox where message_id = '\(id)'")
}

private func parkedReasons(_ client: PostgresClient, _ ids: [UUID]) async throws -> [UUID: String] {
    let rows = try await client.query("select message_id, reason from outbox_parked where message_id = any(\(ids))")
    var reasons: [UUID: String] = [:]
    for try await (id, reason) in rows.decode((UUID, String).self) { reasons[id] = reason }
    return reasons
}

private func replay(_ client: PostgresClient, _ id: UUID) async throws -> Bool {
    let rows = try await client.query(
        "select outbox_replay(coalesce((select id from outbox_parked where message_id = \(id)), -1))")
    for try await replayed in rows.decode(Bool.self) { return replayed }
    return false
}
