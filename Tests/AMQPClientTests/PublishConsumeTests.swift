import AMQPClient
import Foundation
import Testing
import TestSupport

@Suite("Publishing and consuming against the real broker", .timeLimit(.minutes(1)))
struct PublishConsumeTests {
    @Test func confirmedMessagesAreConsumedExactlyOnce() async throws {
        try await withTestQueue("once") { connection, queue in
            let ids = (0..<200).map { _ in UUID().uuidString }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in ids {
                    group.addTask {
                        try await connection.publish(
                            Array("{\"id\":\"\(id)\"}".utf8), exchange: "", routingKey: queue,
                            properties: AMQPProperties(messageID: id, type: "test.v1", contentType: "application/json"))
                    }
                }
                try await group.waitForAll()
            }

            let consumer = try await connection.consume(queue: queue, prefetch: 50)
            let received = try await collect(consumer, count: ids.count, timeout: .seconds(10))
            #expect(Set(received.compactMap(\.properties.messageID)) == Set(ids))
            #expect(received.count == ids.count)
            #expect(received.allSatisfy { $0.properties.type == "test.v1" && $0.properties.persistent })
            // Nothing more arrives, and the queue is empty once the acks are in.
            let extra = try await collect(consumer, count: 1, timeout: .milliseconds(500))
            #expect(extra.isEmpty)
            await consumer.cancel()
            #expect(try await connection.queueStatus(queue).messageCount == 0)
        }
    }

    @Test func propertiesAndHeadersTravelIntact() async throws {
        try await withTestQueue("properties") { connection, queue in
            let sent = AMQPProperties(
                messageID: UUID().uuidString, type: "document.v1", contentType: "application/json",
                timestamp: Date(timeIntervalSince1970: 1_764_000_000), appID: "tests",
                userID: connection.configuration.user,
                headers: ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "x-note": "Văn bản đến"])
            try await connection.publish(Array("Liên đoàn Lao động".utf8), exchange: "", routingKey: queue, properties: sent)
            let consumer = try await connection.consume(queue: queue)
            let delivery = try #require(try await collect(consumer, count: 1, timeout: .seconds(5)).first)
            #expect(String(decoding: delivery.body, as: UTF8.self) == "Liên đoàn Lao động")
            #expect(delivery.properties.messageID == sent.messageID)
            #expect(delivery.properties.type == sent.type)
            #expect(delivery.properties.contentType == sent.contentType)
            #expect(delivery.properties.timestamp == sent.timestamp)
            #expect(delivery.properties.appID == "tests")
            #expect(delivery.properties.userID == sent.userID)
            #expect(delivery.properties.headers["traceparent"] == sent.headers["traceparent"])
            #expect(delivery.properties.headers["x-note"] == "Văn bản đến")
            await consumer.cancel()
        }
    }

    @Test func unroutableMandatoryPublishThrows() async throws {
        let connection = try TestEnvironment.connection("unroutable")
        defer { Task { await connection.close() } }
        try await connection.waitUntilConnected()
        await #expect(throws: AMQPError.unroutable(code: 312, text: "NO_ROUTE")) {
            try await connection.publish(
                Array("x".utf8), exchange: "", routingKey: TestEnvironment.uniqueQueue("nowhere"),
                properties: AMQPProperties(messageID: UUID().uuidString))
        }
    }

    @Test func publishToMissingExchangeFailsAndTheChannelRecovers() async throws {
        let connection = try TestEnvironment.connection("missing-exchange")
        defer { Task { await connection.close() } }
        try await connection.waitUntilConnected()
        do {
            try await connection.publish(Array("x".utf8), exchange: "test.no.such.exchange", routingKey: "k")
            Issue.record("publish to a missing exchange succeeded")
        } catch let AMQPError.channelClosed(code, _) {
            #expect(code == 404)
        }
        let queue = TestEnvironment.uniqueQueue("recovered")
        try await connection.declare(Topology(queues: [.init(queue)]))
        try await connection.publish(Array("y".utf8), exchange: "", routingKey: queue, properties: AMQPProperties(messageID: "1"))
        #expect(try await connection.queueStatus(queue).messageCount == 1)
        try await connection.deleteQueue(queue)
        try await connection.deleteQueue(queue + ".dlq")
    }

    @Test func unackedDeliveryComesBackWhenItsConsumersConnectionCloses() async throws {
        let publisher = try TestEnvironment.connection("redeliver-pub")
        defer { Task { await publisher.close() } }
        try await publisher.waitUntilConnected()
        let queue = TestEnvironment.uniqueQueue("redeliver")
        try await publisher.declare(Topology(queues: [.init(queue)]))
        try await publisher.publish(Array("x".utf8), exchange: "", routingKey: queue, properties: AMQPProperties(messageID: "m-1"))

        let doomed = try TestEnvironment.connection("redeliver-doomed")
        try await doomed.waitUntilConnected()
        let first = try #require(
            try await collect(try await doomed.consume(queue: queue), count: 1, timeout: .seconds(5), ack: false).first)
        #expect(!first.redelivered)
        await doomed.close()  // goes away without acking (a real SIGKILL: DocumentsTests.KilledBeforeAckTests)

        let second = try #require(
            try await collect(try await publisher.consume(queue: queue), count: 1, timeout: .seconds(5)).first)
        #expect(second.properties.messageID == "m-1")
        #expect(second.redelivered)
        try await publisher.deleteQueue(queue)
        try await publisher.deleteQueue(queue + ".dlq")
    }

    @Test func quorumQueueHasADeadLetterQueueForRejectedMessages() async throws {
        try await withTestQueue("dlx") { connection, queue in
            try await connection.publish(Array("bad".utf8), exchange: "", routingKey: queue, properties: AMQPProperties(messageID: "r-1"))
            let consumer = try await connection.consume(queue: queue)
            let delivery = try #require(try await collect(consumer, count: 1, timeout: .seconds(5), ack: false).first)
            delivery.nack(requeue: false)
            await consumer.cancel()
            let dlq = try await connection.consume(queue: queue + ".dlq")
            let parked = try #require(try await collect(dlq, count: 1, timeout: .seconds(5)).first)
            #expect(parked.properties.messageID == "r-1")
            await dlq.cancel()
        }
    }
}
