import AMQPClient
import Contracts
import Crypto
import Foundation
import HummingbirdTesting
import Logging
import ServiceKit
import TestSupport

@testable import Documents

/// The people of an incoming-document test, each logged in with a changed password.
struct Office {
    var admin: String
    var clerk: String
    var head: String
    var leader: String
    var specialist: String
    var colleague: String
    var ids: [String: UUID]
    var unit: UUID

    static func make(_ client: some TestClientProtocol) async throws -> Office {
        let people = try await AccessRulesTests.people(client)
        let unit = try await client.send(
            .post, "/api/v1/units", token: people.admin,
            json: FirstLoginJourneyTests.NewUnit(code: "VP", name: "Văn phòng", abbreviation: "VP", parentId: nil)
        ).decoded(UnitView.self)
        var tokens: [String: String] = [:]
        var ids: [String: UUID] = [:]
        for (key, name, roles) in [
            ("clerk", "Lương Thị Văn Thư", ["clerk"]), ("head", "Trần Công Huân", ["head"]),
            ("leader", "Nông Thị Lãnh Đạo", ["unitLeader"]), ("specialist", "Hoàng Thị Huỳnh", ["specialist"]),
            ("colleague", "Bế Văn Phối Hợp", ["specialist"]),
        ] {
            let created = try await client.send(
                .post, "/api/v1/users", token: people.admin,
                json: FirstLoginJourneyTests.NewUser(
                    username: nil, fullName: name, unitId: unit.id, position: "", roles: roles, permissions: [], phone: nil)
            ).decoded(CreatedUser.self)
            let first = try await client.login(created.username, created.initialPassword)
            tokens[key] = try await client.send(
                .post, "/api/v1/auth/password", token: first.token,
                json: ["currentPassword": created.initialPassword, "newPassword": "Mat-khau-\(key)-2026"]
            ).decoded(TokenResponse.self).token
            ids[key] = created.id
        }
        return Office(
            admin: people.admin, clerk: tokens["clerk"]!, head: tokens["head"]!, leader: tokens["leader"]!,
            specialist: tokens["specialist"]!, colleague: tokens["colleague"]!, ids: ids, unit: unit.id)
    }
}

/// Another agency on the real broker, through the user `deploy/add-partner` makes for it.
struct PartnerAgency {
    let code: String
    let name: String
    let connection: AMQPConnection

    /// A partner with a code no other test (or earlier run) uses, so that its queue holds only what
    /// this test sends it. `close()` removes its broker user and queue.
    static func connect(name: String) async throws -> PartnerAgency {
        try await connect(code: "P" + UUID().uuidString.prefix(8).uppercased() + ".T97", name: name)
    }

    static func connect(code: String, name: String) async throws -> PartnerAgency {
        let output = try TestEnvironment.run(TestEnvironment.repoRoot + "/deploy/add-partner", ["agency", code])
        guard let url = output.split(separator: "\n").last.map(String.init) else { throw NoPartnerURL() }
        let connection = AMQPConnection(configuration: try AMQPConfiguration(url: url, connectionName: "partner-\(code)"))
        try await connection.waitUntilConnected()
        try await connection.purgeQueue(Routes.inboundQueue(of: code))
        return PartnerAgency(code: code, name: name, connection: connection)
    }

    var ref: AgencyRef { AgencyRef(code: code, name: name) }

    /// Closes its connection, then deletes its queues and broker user through the management API (a
    /// partner may not delete queues, not even its own).
    func close() async {
        await connection.close()
        try? await BrokerAdmin.deleteQueue(Routes.inboundQueue(of: code))
        try? await BrokerAdmin.deleteQueue(Routes.inboundQueue(of: code) + ".dlq")
        try? await BrokerAdmin.deleteUser(code)
    }

    struct NoPartnerURL: Error {}

    func send(_ body: [UInt8], to ourCode: String, type: String = DocumentV1.messageType, userID: String? = nil) async throws {
        try await connection.publish(
            body, exchange: Routes.interAgencyExchange, routingKey: Routes.document(to: ourCode),
            properties: AMQPProperties(
                messageID: UUID().uuidString, type: type, contentType: "application/json", timestamp: Date(), appID: "partner",
                userID: userID ?? code))
    }

    /// The next `count` statuses sent back to this agency (about any document), in arrival order; fewer
    /// if the timeout passes first. What is read is acked: each status is returned once.
    func statuses(count: Int, timeout: Duration = .seconds(15)) async throws -> [StatusV1] {
        let consumer = try await connection.consume(queue: Routes.inboundQueue(of: code))
        let deliveries = try await collect(consumer, count: count, timeout: timeout)
        await consumer.cancel()
        return deliveries.compactMap { try? StatusV1.decode($0.body) }
    }

    /// Like `statuses`, as the JSON objects that arrived, to check how they are spelled.
    func rawStatuses(count: Int, timeout: Duration = .seconds(15)) async throws -> [[String: Any]] {
        let consumer = try await connection.consume(queue: Routes.inboundQueue(of: code))
        let deliveries = try await collect(consumer, count: count, timeout: timeout)
        await consumer.cancel()
        return deliveries.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
    }
}

enum SampleDocuments {
    static let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

    static func document(
        from sender: AgencyRef, to ourCode: String, subject: String = "V/v triển khai phần mềm quản lý văn bản điện tử",
        secrecy: String = "none", attachment: [UInt8] = pdf, sha256: String? = nil
    ) -> DocumentV1 {
        DocumentV1(
            documentId: UUID(), from: sender, to: [AgencyRef(code: ourCode, name: "Liên đoàn Lao động tỉnh Cao Bằng")], number: 399,
            notation: "UBND-VP", issuedAt: CalendarDate(Date()), issuedPlace: "Cao Bằng", documentType: "CV", subject: subject,
            signer: .init(name: "Trần Công Huân", position: "Phó Chủ tịch"), urgency: .urgent, secrecy: secrecy, paperCopyFollows: false,
            dueDate: nil, inReplyTo: nil,
            attachments: [
                .init(
                    name: "cv399.pdf", contentType: "application/pdf",
                    sha256: sha256 ?? SHA256.hash(data: attachment).map { String(format: "%02x", $0) }.joined(), size: attachment.count,
                    data: Data(attachment).base64EncodedString())
            ])
    }
}

/// Documents' inbound and events consumers and outbox relay on the real broker, for the length of `body`.
func withInbound<T>(
    _ harness: DocumentsHarness, ourCode: String, limits: ArrivalCheck.Limits = .init(),
    _ body: (AMQPConnection) async throws -> T
) async throws -> T {
    let connection = try TestEnvironment.connection("documents-inbound")
    try await connection.waitUntilConnected()
    try await connection.declare(DocumentsTopology.make(agencyCode: ourCode))
    try await connection.purgeQueue(Routes.inboundQueue(of: ourCode))
    try await connection.purgeQueue(Routes.inboundQueue(of: ourCode) + ".dlq")
    try await connection.purgeQueue(DocumentsTopology.eventsQueue)
    // Signing's queue, which the Signing service declares in life: arriving PDFs are sent there.
    try await connection.declare(
        Topology(
            queues: [.init(Routes.signingVerifyQueue)],
            bindings: [.init(queue: Routes.signingVerifyQueue, exchange: Routes.eventsExchange, routingKey: Routes.signingVerifyKey)],
            deadLetterExchange: Routes.deadLetterExchange))
    let events = QueueWorker(
        queue: DocumentsTopology.eventsQueue, consumerConnection: connection, publisher: connection, client: harness.client,
        handler: EventsHandler(), logger: testLogger)
    let worker = QueueWorker(
        queue: Routes.inboundQueue(of: ourCode), prefetch: 16, concurrency: 8, consumerConnection: connection, publisher: connection,
        client: harness.client, handler: InboundHandler(us: AgencyRef(code: ourCode, name: "Liên đoàn"), limits: limits), logger: testLogger)
    let relay = OutboxRelay(client: harness.client, publisher: connection, appID: "documents", logger: testLogger)
    do {
        let result = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            group.addTask { try await events.run() }
            group.addTask { try await relay.run() }
            defer { group.cancelAll() }
            return try await body(connection)
        }
        try? await connection.deleteQueue(Routes.inboundQueue(of: ourCode))
        try? await connection.deleteQueue(Routes.inboundQueue(of: ourCode) + ".dlq")
        await connection.close()
        return result
    } catch {
        try? await connection.deleteQueue(Routes.inboundQueue(of: ourCode))
        try? await connection.deleteQueue(Routes.inboundQueue(of: ourCode) + ".dlq")
        await connection.close()
        throw error
    }
}
