import AMQPClient
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@Suite("Transactional outbox against the real database and broker", .timeLimit(.minutes(3)))
struct OutboxTests {
    @Test func eventCommittedWhileTheRelayIsStoppedReachesTheBrokerExactlyOnce() async throws {
        try await withDatabase { client in
            try await withTestQueue("outbox") { publisher, queue in
                let message = OutboxMessage(type: "test.v1", exchange: "", routingKey: queue, body: Array("{\"value\":\"một\"}".utf8))

                // The event is written with the data; no relay runs yet (stopped between commit and publish).
                try await client.withTransaction(logger: testLogger) { connection in
                    try await Outbox.enqueue(message, on: connection, logger: testLogger)
                }
                #expect(try await count(client, "select count(*)::int from outbox where message_id = '\(message.messageID)'") == 1)
                #expect(try await publisher.queueStatus(queue).messageCount == 0)

                // The relay starts later, and runs again: the event is published once, then gone from the outbox.
                let relay = OutboxRelay(client: client, publisher: publisher, appID: "tests", logger: testLogger)
                try await relay.relayBatch()
                try await relay.relayBatch()
                #expect(try await count(client, "select count(*)::int from outbox where message_id = '\(message.messageID)'") == 0)

                let consumer = try await publisher.consume(queue: queue)
                let received = try await collect(consumer, count: 2, timeout: .seconds(2))
                #expect(received.count == 1)
                #expect(received.first?.properties.messageID == message.messageID.uuidString.lowercased())
                #expect(received.first?.properties.type == "test.v1")
                #expect(received.first?.properties.appID == "tests")
                #expect(received.first.map { String(decoding: $0.body, as: UTF8.self) } == "{\"value\":\"một\"}")
                await consumer.cancel()
            }
        }
    }

    @Test func eventOfARolledBackTransactionIsNeverPublished() async throws {
        try await withDatabase { client in
            let message = OutboxMessage(type: "test.v1", exchange: "", routingKey: "nowhere", body: Array("{}".utf8))
            struct Abort: Error {}
            await #expect(throws: PostgresTransactionError.self) {
                try await client.withTransaction(logger: testLogger) { connection in
                    try await Outbox.enqueue(message, on: connection, logger: testLogger)
                    throw Abort()
                }
            }
            let left = try await count(client, "select count(*)::int from outbox where message_id = '\(message.messageID)'")
            #expect(left == 0)
        }
    }

    @Test func migrationsApplyOnceAndInOrder() async throws {
        try await withDatabase { client in
            let component = "test-\(UUID().uuidString.prefix(8))"
            let table = "migrated_\(UUID().uuidString.prefix(8).lowercased())"
            let migrations = [
                Migration(version: 2, name: "add column", statements: ["alter table \(table) add column note text"]),
                Migration(version: 1, name: "create", statements: ["create table \(table) (id int)"]),
            ]
            let migrator = Migrator(client: client, logger: testLogger)
            #expect(try await migrator.migrate(component: component, migrations) == [1, 2])
            #expect(try await migrator.migrate(component: component, migrations) == [])
            try await client.query(PostgresQuery(unsafeSQL: "insert into \(table) (id, note) values (1, 'ghi chú')"))
            try await client.query(PostgresQuery(unsafeSQL: "drop table \(table)"))
        }
    }
}
