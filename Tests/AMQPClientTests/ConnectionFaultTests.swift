@testable import AMQPClient
import Foundation
import Testing
import TestSupport

/// Faults a connection meets without the broker going down: returns, a connection closed by the
/// broker, a topology it refuses, a consumer cancelled with messages in hand.
@Suite("Connection faults against the real broker", .timeLimit(.minutes(1)))
struct ConnectionFaultTests {
    @Test func returnedMessageIsMatchedByItsPublishNotItsMessageID() async throws {
        try await withTestQueue("returns") { connection, queue in
            // No message id at all: still reported unroutable.
            await #expect(throws: AMQPError.self) {
                try await connection.publish(Array("{}".utf8), exchange: "", routingKey: "no.such.queue.\(UUID())")
            }
            // One id on two publishes, one routable and one not: exactly the unroutable one fails.
            let id = UUID().uuidString.lowercased()
            let results = await connection.publish(batch: [
                OutgoingMessage(exchange: "", routingKey: "no.such.queue.\(UUID())", body: [1], properties: AMQPProperties(messageID: id)),
                OutgoingMessage(exchange: "", routingKey: queue, body: [2], properties: AMQPProperties(messageID: id)),
                OutgoingMessage(exchange: "", routingKey: "no.such.queue.\(UUID())", body: [3], properties: AMQPProperties(messageID: id)),
            ])
            #expect(results.count == 3)
            if case .unroutable = results[0] {} else { Issue.record("first should be unroutable, got \(String(describing: results[0]))") }
            #expect(results[1] == nil)
            if case .unroutable = results[2] {} else { Issue.record("third should be unroutable, got \(String(describing: results[2]))") }
            let depth = try await connection.queueStatus(queue).messageCount
            #expect(depth == 1)
        }
    }

    @Test func aDeliveryHeldUnsettledDoesNotKeepTheConnectionThreadSpinningAndItsLateAckStillGoesOut() async throws {
        try await withTestQueue("held") { connection, queue in
            try await connection.publish(Array("x".utf8), exchange: "", routingKey: queue, properties: AMQPProperties(messageID: "held-1"))
            let reader = try TestEnvironment.connection("held-reader")
            defer { Task { await reader.close() } }
            try await reader.waitUntilConnected()
            let consumer = try await reader.consume(queue: queue)
            var iterator = consumer.makeAsyncIterator()
            let held = try #require(try await iterator.next())
            // A slow handler holds it for 3 s: polling for its ack every 2 ms would wake the thread ~1,500 times.
            try await Task.sleep(for: .milliseconds(500))
            let before = reader.engine.wakeups.load(ordering: .relaxed)
            try await Task.sleep(for: .seconds(3))
            let woken = reader.engine.wakeups.load(ordering: .relaxed) - before
            #expect(woken < 150, "the connection thread woke \(woken) times in 3 s while a delivery was held")
            held.ack()
            await reader.flushAcks()
            await consumer.cancel()
            await reader.close()
            // Acked, not requeued when the reader's connection closed.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await connection.queueStatus(queue).messageCount == 0)
        }
    }

    @Test func cancelRequeuesWhatTheReaderHasNotTakenAndKeepsWhatItHoldsSettleable() async throws {
        try await withTestQueue("cancel") { connection, queue in
            for index in 0..<20 {
                try await connection.publish([UInt8(index)], exchange: "", routingKey: queue, properties: AMQPProperties(messageID: "m\(index)"))
            }
            let reader = try TestEnvironment.connection("cancel-reader")
            defer { Task { await reader.close() } }
            try await reader.waitUntilConnected()
            let consumer = try await reader.consume(queue: queue, prefetch: 20)
            var iterator = consumer.makeAsyncIterator()
            let held = try #require(try await iterator.next())
            // Let the rest of the prefetch arrive in the reader's buffer before cancelling.
            try await Task.sleep(for: .milliseconds(300))
            await consumer.cancel()
            let next = try await iterator.next()
            #expect(next == nil, "the sequence ends at once after cancel")
            held.ack()  // still settleable after cancel

            // The 19 unread messages are back in the queue (ready, not stuck unacked), the held one is gone.
            let deadline = ContinuousClock.now + .seconds(10)
            var status = try await connection.queueStatus(queue)
            while status.messageCount != 19, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                status = try await connection.queueStatus(queue)
            }
            #expect(status.messageCount == 19)
            let again = try await collect(try await connection.consume(queue: queue), count: 20, timeout: .seconds(2))
            #expect(again.count == 19)
            #expect(!again.contains { $0.properties.messageID == held.properties.messageID })
        }
    }

    @Test func aTopologyTheBrokerRefusesAfterAReconnectLeavesTheOtherConsumersAttached() async throws {
        try await withTestQueue("repair-good") { admin, goodQueue in
            let contested = TestEnvironment.uniqueQueue("repair-contested")
            let name = "repair-\(UUID().uuidString.prefix(8))"
            let client = try TestEnvironment.connection(name)
            defer { Task { await client.close(); try? await admin.deleteQueue(contested); try? await admin.deleteQueue(contested + ".dlq") } }
            try await client.waitUntilConnected()
            try await client.declare(Topology(queues: [.init(contested)]))
            let consumer = try await client.consume(queue: goodQueue)

            // Someone re-creates the queue with other arguments while our client is away: its next
            // declaration is refused (406), which must not keep the good consumer down.
            try await admin.deleteQueue(contested)
            try await admin.declare(Topology(queues: [.init(contested, quorum: false, deadLetterQueue: false)]))
            let closed = try await BrokerAdmin.closeConnections(named: "test-\(name)")
            #expect(closed == 1)
            try await waitFor("the client to reconnect") { client.connectCount >= 2 && client.isConnected }
            try await waitFor("the refusal to be reported") { !client.problems.isEmpty }
            #expect(client.problems.first?.contains(contested) == true)

            try await admin.publish(Array("still here".utf8), exchange: "", routingKey: goodQueue, properties: AMQPProperties(messageID: "after-reconnect"))
            let received = try await collect(consumer, count: 1, timeout: .seconds(10))
            #expect(received.first?.properties.messageID == "after-reconnect")

            // Once the conflict is gone, the retry declares it and the problem clears.
            try await admin.deleteQueue(contested)
            try await waitFor("the topology to be declared again", timeout: .seconds(20)) { client.problems.isEmpty }
            let depth = try await admin.queueStatus(contested).messageCount
            #expect(depth == 0)
        }
    }
}

/// Polls `condition` every 50 ms until it holds; fails the test with `what` after `timeout`.
func waitFor(_ what: String, timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(50))
    }
}
