import AMQPClient
import Contracts
import Foundation
import Logging
import ServiceKit
import TestSupport

@testable import Signing

/// The real Signing service's queue side (its handler, database schema and outbox) on the real
/// broker, trusting the Signing fixtures' root, intermediate and CRL, for the length of `body`.
func withSigningService<T>(_ body: () async throws -> T) async throws -> T {
    let generated = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SigningTests/Fixtures/generated")
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("signing-\(UUID().uuidString)")
    let trust = base.appendingPathComponent("trust")
    let crl = base.appendingPathComponent("crl")
    try FileManager.default.createDirectory(at: trust, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: crl, withIntermediateDirectories: true)
    for name in ["trust-root.pem", "trust-intermediate.pem"] {
        try FileManager.default.copyItem(at: generated.appendingPathComponent(name), to: trust.appendingPathComponent(name))
    }
    for name in ["intermediate.crl.pem", "root.crl.pem"] {
        try FileManager.default.copyItem(at: generated.appendingPathComponent(name), to: crl.appendingPathComponent(name))
    }
    defer { try? FileManager.default.removeItem(at: base) }

    return try await withFreshSchema(component: "signing", migrations: SigningMigrations.all, logger: testLogger) { database in
        let connection = try TestEnvironment.connection("signing-service")
        try await connection.waitUntilConnected()
        try await connection.declare(SigningTopology.topology)
        try await connection.purgeQueue(Routes.signingVerifyQueue)
        let verifier = SignatureVerifier(trust: TrustStore(trustDirectory: trust, crlDirectory: crl, logger: testLogger))
        let worker = QueueWorker(
            queue: Routes.signingVerifyQueue, concurrency: 2, consumerConnection: connection, publisher: connection, client: database,
            handler: VerifyRequestHandler(pool: VerificationPool(verifier: verifier, threads: 2)), logger: testLogger)
        let relay = OutboxRelay(client: database, publisher: connection, appID: "signing", logger: testLogger)
        defer { Task { await connection.close() } }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            group.addTask { try await relay.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}

/// A signed PDF of the Signing fixtures.
func signingFixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SigningTests/Fixtures/generated/\(name)")
    return Array(try Data(contentsOf: url))
}
