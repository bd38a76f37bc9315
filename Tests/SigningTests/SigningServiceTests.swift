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

@testable import Signing

/// The Signing service's HTTP routes and queue against the real database and broker.
@Suite("Signing over HTTP and the queue", .serialized, .timeLimit(.minutes(3)))
struct SigningServiceTests {
    static let logger: Logger = {
        var logger = Logger(label: "signing-tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Tokens for another user of the same key, for the test that reports are their requester's.
    nonisolated(unsafe) static var otherTokens: [String] = []

    /// A fresh schema with Signing's tables, a verifier on the fixtures' trust, and a token for a user.
    static func withService<T>(_ body: (PostgresClient, SignatureVerifier, Router<ServiceRequestContext>, String) async throws -> T) async throws -> T {
        try await withFreshSchema(component: "signing", migrations: SigningMigrations.all, logger: logger) { client in
            let verifier = try FixtureTrust.make().verifier
            let keys = JWTKeyCollection()
            await keys.add(eddsa: try EdDSA.PrivateKey(), kid: "test")
            let token = try await keys.sign(
                AccessClaims(
                    userID: UUID(), sessionID: UUID(), username: "hoangthihuynh.vp", name: "Hoàng Thị Huỳnh", unit: nil, roles: [.clerk],
                    permissions: [], mustChangePassword: false, issuedAt: Date(), lifetime: .seconds(600)), kid: "test")
            var others: [String] = []
            for (name, roles) in [("nongthilanhdao.vp", [Role.clerk]), ("quantri", [Role.admin])] {
                others.append(
                    try await keys.sign(
                        AccessClaims(
                            userID: UUID(), sessionID: UUID(), username: name, name: name, unit: nil, roles: roles, permissions: [],
                            mustChangePassword: false, issuedAt: Date(), lifetime: .seconds(600)), kid: "test"))
            }
            otherTokens = others
            let router = ServiceRuntime.router(
                settings: ServiceSettings(name: "signing", defaultPort: 8083, environment: [:]),
                readiness: Readiness(client: client, connections: [], logger: logger), registry: PrometheusCollectorRegistry(),
                verifier: TokenVerifier(keys: keys),
                routes: { _, api in SigningRoutes(pool: VerificationPool(verifier: verifier, threads: 2), client: client, logger: logger).add(to: api) })
            return try await body(client, verifier, router, token)
        }
    }

    @Test func aSignedPDFPostedIsVerifiedStoredAndFetchedAgain() async throws {
        try await Self.withService { _, _, router, token in
            try await Application(router: router).test(.router) { client in
                let posted = try await client.execute(
                    uri: "/api/v1/verify", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/pdf"],
                    body: ByteBuffer(bytes: try Fixtures.bytes("two-signatures.pdf")))
                #expect(posted.status == .created)
                let report = try VerificationV1.decode(Array(posted.body.readableBytesView))
                #expect(report.result == .passed)
                #expect(report.signatures.count == 2)
                #expect(report.signatures.map(\.coversWholeDocument) == [false, true])
                let again = try await client.execute(
                    uri: "/api/v1/verifications/\(report.verificationId)", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(again.status == .ok)
                #expect(try VerificationV1.decode(Array(again.body.readableBytesView)) == report)
                // Another clerk cannot read it (the same 404 as a missing id); the administrator can.
                let (otherClerk, admin) = (Self.otherTokens[0], Self.otherTokens[1])
                let stranger = try await client.execute(
                    uri: "/api/v1/verifications/\(report.verificationId)", method: .get, headers: [.authorization: "Bearer \(otherClerk)"])
                #expect(stranger.status == .notFound)
                let byAdmin = try await client.execute(
                    uri: "/api/v1/verifications/\(report.verificationId)", method: .get, headers: [.authorization: "Bearer \(admin)"])
                #expect(byAdmin.status == .ok)

                let unauthenticated = try await client.execute(uri: "/api/v1/verify", method: .post, body: ByteBuffer(bytes: [1]))
                #expect(unauthenticated.status == .unauthorized)
            }
        }
    }

    @Test(arguments: [
        ("one-signature.pdf", "passed", "signing_time_claimed"), ("two-signatures.pdf", "passed", "signing_time_claimed"),
        ("modified-after-signing.pdf", "failed", "modified_after_signing"), ("tampered.pdf", "failed", "digest_mismatch"),
        ("untrusted.pdf", "indeterminate", "untrusted_root"), ("revoked.pdf", "failed", "revoked"),
    ])
    func everySignedPDFFixtureOverHTTP(fixture: String, result: String, reason: String) async throws {
        try await Self.withService { _, _, router, token in
            try await Application(router: router).test(.router) { client in
                let posted = try await client.execute(
                    uri: "/api/v1/verify", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/pdf"],
                    body: ByteBuffer(bytes: try Fixtures.bytes(fixture)))
                let report = try VerificationV1.decode(Array(posted.body.readableBytesView))
                #expect(report.result.rawValue == result)
                #expect(report.signatures.flatMap(\.reasonCodes).contains(reason))
            }
        }
    }

    @Test func aDetachedSignatureArrivesAsMultipartAndGarbageAsAFailedReport() async throws {
        try await Self.withService { _, _, router, token in
            try await Application(router: router).test(.router) { client in
                let boundary = "ioffice-\(UUID().uuidString)"
                var body: [UInt8] = []
                for (name, bytes) in [("document", try Fixtures.bytes("content.txt")), ("signature", try Fixtures.bytes("revoked.cms.der"))] {
                    body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
                    body += bytes + Array("\r\n".utf8)
                }
                body += Array("--\(boundary)--\r\n".utf8)
                let response = try await client.execute(
                    uri: "/api/v1/verify", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "multipart/form-data; boundary=\(boundary)"],
                    body: ByteBuffer(bytes: body))
                #expect(response.status == .created)
                let report = try VerificationV1.decode(Array(response.body.readableBytesView))
                #expect(report.result == .failed)
                #expect(report.signatures.first?.reasonCodes.contains("revoked") == true)
                #expect(report.signatures.first?.revocation.state == .revoked)
                #expect(report.signatures.first?.message == "Chứng thư số đã bị thu hồi trước thời điểm ký.")

                let garbage = try await client.execute(
                    uri: "/api/v1/verify", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/pdf"],
                    body: ByteBuffer(bytes: Array("%PDF-1.4 garbage".utf8)))
                #expect(try VerificationV1.decode(Array(garbage.body.readableBytesView)).result == .failed)
                let wrongType = try await client.execute(
                    uri: "/api/v1/verify", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "text/plain"],
                    body: ByteBuffer(bytes: [1, 2, 3]))
                #expect(wrongType.status == .unsupportedMediaType)
            }
        }
    }

    @Test func requestsOnTheQueueAreAnsweredOnTheEventsExchangeAndBadOnesDeadLettered() async throws {
        try await Self.withService { database, verifier, _, _ in
            let connection = try TestEnvironment.connection("signing-queue")
            try await connection.waitUntilConnected()
            let requests = TestEnvironment.uniqueQueue("signing-verify")
            let answers = TestEnvironment.uniqueQueue("signing-verified")
            try await connection.declare(
                Topology(
                    exchanges: [.init(Routes.eventsExchange)], queues: [.init(requests), .init(answers)],
                    bindings: [.init(queue: answers, exchange: Routes.eventsExchange, routingKey: Routes.signingVerifiedKey)]))
            defer {
                Task {
                    for queue in [requests, answers] {
                        try? await connection.deleteQueue(queue)
                        try? await connection.deleteQueue(queue + ".dlq")
                    }
                    await connection.close()
                }
            }
            let worker = QueueWorker(
                queue: requests, concurrency: 2, consumerConnection: connection, publisher: connection, client: database,
                handler: VerifyRequestHandler(pool: VerificationPool(verifier: verifier, threads: 2)), logger: Self.logger)
            let relay = OutboxRelay(client: database, publisher: connection, appID: "signing", logger: Self.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                group.addTask { try await relay.run() }
                defer { group.cancelAll() }
                // Every signed-PDF fixture as a request, and one that is not a verify-request.v1 at all.
                let expected = [
                    "one-signature.pdf": VerificationV1.Result.passed, "two-signatures.pdf": .passed,
                    "modified-after-signing.pdf": .failed, "tampered.pdf": .failed, "untrusted.pdf": .indeterminate, "revoked.pdf": .failed,
                ]
                var requestsByID: [UUID: String] = [:]
                for name in expected.keys.sorted() {
                    let pdf = try Fixtures.bytes(name)
                    let request = VerifyRequestV1(
                        requestId: UUID(), document: .init(sha256: VerifyRequestHandler.sha256(pdf), data: Data(pdf).base64EncodedString()))
                    requestsByID[request.requestId] = name
                    try await connection.publish(
                        try request.encoded(), exchange: "", routingKey: requests,
                        properties: AMQPProperties(messageID: UUID().uuidString, type: VerifyRequestV1.messageType, contentType: "application/json"))
                }
                try await connection.publish(
                    Array("{\"requestId\": 1}".utf8), exchange: "", routingKey: requests,
                    properties: AMQPProperties(messageID: UUID().uuidString, type: VerifyRequestV1.messageType, contentType: "application/json"))
                let consumer = try await connection.consume(queue: answers)
                let delivered = try await collect(consumer, count: expected.count, timeout: .seconds(20))
                await consumer.cancel()
                let reports = try delivered.map { try VerificationV1.decode($0.body) }
                #expect(reports.count == expected.count)
                for report in reports {
                    let name = try #require(requestsByID[report.requestId])
                    #expect(report.result == expected[name], "\(name)")
                }

                let dead = try await connection.consume(queue: requests + ".dlq")
                let rejected = try await collect(dead, count: 1, timeout: .seconds(15))
                await dead.cancel()
                #expect(rejected.first?.properties.headers["x-ioffice-error"]?.contains("verify-request.v1") == true)
                var stored = 0
                for try await n in try await database.query("select count(*)::int from verifications").decode(Int.self) { stored = n }
                #expect(stored == expected.count)
            }
        }
    }
}
