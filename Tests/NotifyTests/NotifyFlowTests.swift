import AMQPClient
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import PostgresNIO
import Prometheus
import ServiceKit
import Testing
import TestSupport

@testable import Notify

let notifyLogger: Logger = {
    var logger = Logger(label: "notify-tests")
    logger.logLevel = .warning
    return logger
}()

/// Notify's queues, database and API against the real broker and PostgreSQL, with a simulated SMS
/// gateway that holds only the rights `deploy/add-partner sms-gateway` gives it.
@Suite("Notify through the real broker", .serialized, .timeLimit(.minutes(3)))
struct NotifyFlowTests {
    static let people = (withPhone: UUID(), withoutPhone: UUID(), sender: UUID())

    /// Notify's workers and relay on a fresh schema, for the length of `body`.
    static func withNotify<T>(_ body: (PostgresClient, AMQPConnection) async throws -> T) async throws -> T {
        try await withFreshSchema(component: "notify", migrations: NotifyMigrations.all, logger: notifyLogger) { database in
            let connection = try TestEnvironment.connection("notify")
            try await connection.waitUntilConnected()
            try await connection.declare(NotifyTopology.topology)
            for queue in [NotifyTopology.requestsQueue, NotifyTopology.directoryQueue, NotifyTopology.reportsQueue, Routes.smsOutboundQueue] {
                try await connection.purgeQueue(queue)
                try await connection.purgeQueue(queue + ".dlq")
            }
            let workers = [
                // As the service runs it: batches of requests, set-based.
                QueueWorker(
                    queue: NotifyTopology.requestsQueue, prefetch: NotifyWorkers.requestsPrefetch, concurrency: NotifyWorkers.requestsConcurrency,
                    batchSize: NotifyWorkers.requestsBatch, consumerConnection: connection, publisher: connection, client: database,
                    handler: RequestHandler(), logger: notifyLogger),
                QueueWorker(queue: NotifyTopology.directoryQueue, consumerConnection: connection, publisher: connection, client: database,
                    handler: DirectoryHandler(), logger: notifyLogger),
                QueueWorker(queue: NotifyTopology.reportsQueue, consumerConnection: connection, publisher: connection, client: database,
                    handler: ReportHandler(), logger: notifyLogger),
            ]
            let relay = OutboxRelay(client: database, publisher: connection, appID: "notify", logger: notifyLogger)
            defer { Task { await connection.close() } }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in workers { group.addTask { try await worker.run() } }
                group.addTask { try await relay.run() }
                defer { group.cancelAll() }
                return try await body(database, connection)
            }
        }
    }

    static func publish(_ message: some ContractMessage, to exchange: String, key: String, id: UUID = UUID(), on connection: AMQPConnection) async throws {
        try await connection.publish(
            try message.encoded(), exchange: exchange, routingKey: key,
            properties: AMQPProperties(messageID: id.uuidString, type: type(of: message).messageType, contentType: "application/json", timestamp: Date()))
    }

    static func directory(on connection: AMQPConnection) async throws {
        for (id, name, phone) in [(people.withPhone, "Hoàng Thị Huỳnh", Optional("+84912345678")), (people.withoutPhone, "Bế Văn Phối", nil),
            (people.sender, "Lương Thị Văn Thư", Optional("+84987654321"))]
        {
            let user = DirectoryUserV1(
                userId: id, username: name.lowercased(), fullName: name, unitId: UUID(), position: "", phone: phone, email: nil, roles: ["specialist"],
                permissions: [], active: true, version: 1)
            try await publish(user, to: Routes.eventsExchange, key: Routes.directoryUserChangedKey, on: connection)
        }
    }

    static func count(_ sql: String, _ database: PostgresClient) async throws -> Int {
        for try await value in try await database.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
        return 0
    }

    @Test func aRequestBecomesInAppMessagesAndSmsThatTheGatewayReportsOnAndARedeliveryChangesNothing() async throws {
        try await Self.withNotify { database, connection in
            try await Self.directory(on: connection)
            #expect(try await eventuallyTrue { try await Self.count("select count(*)::int from people", database) == 3 })

            // The gateway, as deploy/add-partner makes it.
            let output = try TestEnvironment.run(TestEnvironment.repoRoot + "/deploy/add-partner", ["sms-gateway", "gateway-test"])
            let gateway = AMQPConnection(configuration: try AMQPConfiguration(url: String(output.split(separator: "\n").last!), connectionName: "gateway"))
            try await gateway.waitUntilConnected()
            defer { Task { await gateway.close() } }

            let request = NotificationRequestV1(
                requestId: UUID(), recipients: [Self.people.withPhone, Self.people.withoutPhone], channels: [.inApp, .sms],
                title: "Văn bản đến cần xử lý", body: "Về việc triển khai phần mềm quản lý văn bản điện tử", link: "/van-ban-den/1")
            let messageID = UUID()
            // Something that is not a request travels with it: it is set aside, the request is not held up.
            try await connection.publish(
                Array("{\"requestId\": 42}".utf8), exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey,
                properties: AMQPProperties(messageID: UUID().uuidString, type: NotificationRequestV1.messageType, contentType: "application/json"))
            try await Self.publish(request, to: Routes.eventsExchange, key: Routes.notificationRequestedKey, id: messageID, on: connection)

            let outbound = try await gateway.consume(queue: Routes.smsOutboundQueue)
            let taken = try await collect(outbound, count: 1, timeout: .seconds(15))
            let sms = try SmsV1.decode(try #require(taken.first).body)
            #expect(sms.to == "+84912345678")
            #expect(sms.text == "Van ban den can xu ly: Ve viec trien khai phan mem quan ly van ban dien tu")
            // Stale after its TTL, and the broker knows it too: the AMQP expiration matches expiresAt.
            let expiresAt = try #require(sms.expiresAt)
            #expect(abs(expiresAt.timeIntervalSinceNow - Double(sms.ttlSeconds)) < 30)
            let expiration = try #require(taken.first?.properties.expiration.flatMap { Double($0) })
            #expect(abs(expiration / 1000 - expiresAt.timeIntervalSinceNow) < 30)
            #expect(try await Self.count("select count(*)::int from messages", database) == 2)
            #expect(try await Self.count("select count(*)::int from sms where state = 'noPhone'", database) == 1)
            let dead = try await connection.consume(queue: NotifyTopology.requestsQueue + ".dlq")
            let setAside = try await collect(dead, count: 1, timeout: .seconds(10))
            await dead.cancel()
            #expect(setAside.first?.properties.headers["x-ioffice-error"]?.isEmpty == false)

            // Reports: sent, delivered, then a late duplicate sent that must not move it back.
            for state in [SmsReportV1.State.sent, .delivered, .sent] {
                let report = SmsReportV1(smsId: sms.smsId, state: state, at: Date())
                try await gateway.publish(
                    try report.encoded(), exchange: Routes.smsExchange, routingKey: Routes.smsReportKey,
                    properties: AMQPProperties(
                        messageID: UUID().uuidString, type: SmsReportV1.messageType, contentType: "application/json", timestamp: Date(),
                        userID: "gateway-test"))
            }
            #expect(try await eventuallyTrue {
                try await Self.count("select count(*)::int from sms where id = '\(sms.smsId)' and state = 'delivered'", database) == 1
            })
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Self.count("select count(*)::int from sms where id = '\(sms.smsId)' and state = 'delivered'", database) == 1)

            // The same request again (a redelivery with its message id, then a resend with a new one): nothing more.
            try await Self.publish(request, to: Routes.eventsExchange, key: Routes.notificationRequestedKey, id: messageID, on: connection)
            try await Self.publish(request, to: Routes.eventsExchange, key: Routes.notificationRequestedKey, on: connection)
            let more = try await collect(outbound, count: 1, timeout: .seconds(2))
            await outbound.cancel()
            #expect(more.isEmpty)
            #expect(try await Self.count("select count(*)::int from messages", database) == 2)
            #expect(try await Self.count("select count(*)::int from sms", database) == 2)
        }
    }

    @Test func typedSmsNeedsThePermissionAndFitsIn160() async throws {
        try await Self.withNotify { database, connection in
            try await Self.directory(on: connection)
            #expect(try await eventuallyTrue { try await Self.count("select count(*)::int from people", database) == 3 })
            let keys = JWTKeyCollection()
            await keys.add(eddsa: try EdDSA.PrivateKey(), kid: "test")
            func token(_ permissions: [Permission]) async throws -> String {
                try await keys.sign(
                    AccessClaims(
                        userID: Self.people.sender, sessionID: UUID(), username: "vanthu", name: "Lương Thị Văn Thư", unit: nil, roles: [.clerk],
                        permissions: permissions, mustChangePassword: false, issuedAt: Date(), lifetime: .seconds(600)), kid: "test")
            }
            let events = InboxEvents(client: database, logger: notifyLogger)
            let router = ServiceRuntime.router(
                settings: ServiceSettings(name: "notify", defaultPort: 8081, environment: [:]),
                readiness: Readiness(client: database, connections: [], logger: notifyLogger), registry: PrometheusCollectorRegistry(),
                verifier: TokenVerifier(keys: keys),
                routes: { _, api in
                    InboxRoutes(client: database, events: events, logger: notifyLogger).add(to: api)
                    SmsRoutes(client: database, logger: notifyLogger).add(to: api)
                })
            let registered = OpenAPIRoutes.registered(router).filter { $0.contains("/api/v1/") && !$0.hasSuffix("/api/v1/me") }
            #expect(registered.subtracting(try OpenAPIRoutes.described()).sorted() == [], "Notify routes missing from openapi.yaml")
            let allowed = try await token([.smsSend])
            let refused = try await token([])
            try await Application(router: router).test(.router) { client in
                func send(_ text: String, token: String, to recipients: [UUID] = [Self.people.withPhone, Self.people.withoutPhone]) async throws -> TestResponse {
                    struct Body: Encodable { var recipients: [UUID]; var text: String }
                    let encoder = JSONEncoder()
                    return try await client.execute(
                        uri: "/api/v1/sms", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                        body: ByteBuffer(bytes: try encoder.encode(Body(recipients: recipients, text: text))))
                }
                #expect(try await send("Họp lúc 9h", token: refused).status == .forbidden)
                let tooLong = try await send(String(repeating: "Ư", count: 161), token: allowed)
                #expect(tooLong.status == .unprocessableContent)
                let problem = String(buffer: tooLong.body)
                #expect(problem.contains("161 ký tự") && problem.contains("160"))
                #expect(try await Self.count("select count(*)::int from sms", database) == 0)

                let sent = try await send("Đồng chí dự họp giao ban lúc 14h00", token: allowed)
                #expect(sent.status == .created)
                struct Sent: Decodable { var items: [Item]; struct Item: Decodable { var to: String?; var state: String; var error: String? } }
                let items = try JSONDecoder().decode(Sent.self, from: Data(sent.body.readableBytesView)).items
                #expect(Set(items.map(\.state)) == ["queued", "noPhone"])
                #expect(items.first { $0.state == "noPhone" }?.error?.contains("Bế Văn Phối") == true)
                let history = try await client.execute(uri: "/api/v1/sms", method: .get, headers: [.authorization: "Bearer \(allowed)"])
                #expect(String(buffer: history.body).contains("Dong chi du hop giao ban luc 14h00"))
            }
            let outbound = try await connection.consume(queue: Routes.smsOutboundQueue)
            let taken = try await collect(outbound, count: 1, timeout: .seconds(15))
            await outbound.cancel()
            #expect(try SmsV1.decode(try #require(taken.first).body).priority == .high)
        }
    }
}

/// Polls until `check` holds or 15 s pass.
func eventuallyTrue(_ check: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(15)
    while ContinuousClock.now < deadline {
        if try await check() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}
