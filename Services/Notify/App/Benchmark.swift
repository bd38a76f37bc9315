import AMQPClient
import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// `notify bench [count]`: notification requests turned into stored in-app messages and published
/// SMS, per second. A queue of requests is filled first, then Notify's own request worker (set up as
/// the service runs it) and outbox relay empty it into a schema and queues of the bench's
/// own; the clock stops when every message is stored and every SMS confirmed by the broker.
/// Reads a broker user from IOFFICE_AMQP_URL (Benchmarks/run gives the test user: the bench's own queues
/// are reached through the default exchange, which Notify's user may not write) and the database from
/// IOFFICE_BENCH_DATABASE_URL.
enum Benchmark {
    static let requestsQueue = "notify.bench.requests"
    static let outboundQueue = "notify.bench.outbound"

    static func run(_ arguments: [String]) async -> Int32 {
        do {
            let count = arguments.first.flatMap(Int.init) ?? 10_000
            let rate = try await measure(count: count)
            print("notify.requests_per_s: \(Int(rate))")
            return 0
        } catch {
            FileHandle.standardError.write(Data("notify bench failed: \(error)\n".utf8))
            return 1
        }
    }

    static func measure(count: Int) async throws -> Double {
        var logger = Logger(label: "notify-bench")
        logger.logLevel = .warning
        let environment = ProcessInfo.processInfo.environment
        guard let databaseURL = environment["IOFFICE_BENCH_DATABASE_URL"], let amqpURL = environment["IOFFICE_AMQP_URL"] else {
            throw Missing(what: "IOFFICE_BENCH_DATABASE_URL and IOFFICE_AMQP_URL")
        }
        var configuration = try DatabaseURL.configuration(databaseURL)
        configuration.options.additionalStartupParameters = [("search_path", "notify_bench")]
        configuration.options.maximumConnections = 24
        let database = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let connection = AMQPConnection(configuration: try AMQPConfiguration(url: amqpURL, connectionName: "notify-bench"), logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await database.run() }
            defer { group.cancelAll() }
            try await connection.waitUntilConnected()
            try await database.query("drop schema if exists notify_bench cascade", logger: logger)
            try await database.query("create schema notify_bench", logger: logger)
            let migrator = Migrator(client: database, logger: logger)
            _ = try await migrator.migrate(component: MessagingMigrations.component, MessagingMigrations.all)
            _ = try await migrator.migrate(component: "notify", NotifyMigrations.all)
            let topology = Topology(queues: [.init(requestsQueue), .init(outboundQueue)])
            try await connection.declare(topology)
            for queue in [requestsQueue, outboundQueue] { try await connection.purgeQueue(queue) }

            // 1,000 people with phones; each request goes to one of them, in the app and by SMS.
            let people = (0..<1000).map { _ in UUID() }
            for (index, person) in people.enumerated() {
                try await database.query(
                    """
                    insert into people (user_id, username, full_name, unit_id, phone, active, version)
                    values (\(person), \("u\(index)"), \("Người nhận \(index)"), \(UUID()), \("+849\(String(format: "%08d", index))"), true, 1)
                    """, logger: logger)
            }
            var bodies: [[UInt8]] = []
            for index in 0..<count {
                let request = NotificationRequestV1(
                    requestId: UUID(), recipients: [people[index % people.count]], channels: [.inApp, .sms], title: "Văn bản đến cần xử lý",
                    body: "Văn bản số \(index) về việc triển khai phần mềm quản lý văn bản", link: "/van-ban-den/\(index)")
                bodies.append(try request.encoded())
            }
            // Several publishers at once, so filling the queue does not dominate the run.
            let chunks = stride(from: 0, to: bodies.count, by: 500).map { Array(bodies[$0..<min($0 + 500, bodies.count)]) }
            try await withThrowingTaskGroup(of: Void.self) { publishers in
                for chunk in chunks {
                    publishers.addTask {
                        for body in chunk {
                            try await connection.publish(
                                body, exchange: "", routingKey: requestsQueue,
                                properties: AMQPProperties(
                                    messageID: UUID().uuidString, type: NotificationRequestV1.messageType, contentType: "application/json"))
                        }
                    }
                }
                try await publishers.waitForAll()
            }

            let worker = QueueWorker(
                queue: requestsQueue, prefetch: NotifyWorkers.requestsPrefetch, concurrency: NotifyWorkers.requestsConcurrency,
                batchSize: NotifyWorkers.requestsBatch, consumerConnection: connection, publisher: connection, client: database,
                handler: RequestHandler(outbound: SmsRoute(exchange: "", routingKey: outboundQueue)), logger: logger)
            let relay = OutboxRelay(client: database, publisher: connection, appID: "notify-bench", logger: logger)
            let start = ContinuousClock.now
            group.addTask { try await worker.run() }
            group.addTask { try await relay.run() }
            while true {
                var stored = 0
                var waiting = 0
                for try await (messages, outbox) in try await database.query(
                    "select (select count(*)::int from messages), (select count(*)::int from outbox)", logger: logger
                ).decode((Int, Int).self) { (stored, waiting) = (messages, outbox) }
                if stored == count && waiting == 0 { break }
                if ContinuousClock.now - start > .seconds(600) { throw Missing(what: "all requests handled within 10 minutes (\(stored) stored)") }
                try await Task.sleep(for: .milliseconds(20))
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            FileHandle.standardError.write(Data("notify bench: \(count) requests in \(String(format: "%.2f", seconds)) s\n".utf8))
            // The schema stays until the next run drops it: the worker and relay stop only after this returns.
            group.cancelAll()
            for queue in [requestsQueue, outboundQueue] { try? await connection.deleteQueue(queue) }
            await connection.close()
            return Double(count) / seconds
        }
    }

    struct Missing: Error, CustomStringConvertible {
        var what: String
        var description: String { "missing: \(what)" }
    }
}
