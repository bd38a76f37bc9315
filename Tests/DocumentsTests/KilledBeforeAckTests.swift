import AMQPClient
import Contracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@testable import Documents

/// The real Documents executable, killed with SIGKILL at the one moment the inbox exists for: its
/// transaction (document, arrival number, inbox entry, outbox rows) committed, its ack not yet sent.
@Suite("Documents killed between its commit and its ack", .timeLimit(.minutes(3)))
struct KilledBeforeAckTests {
    @Test func aDocumentCommittedByAKilledProcessIsRedeliveredAndRegisteredOnceAfterTheRestart() async throws {
        let ourCode = IncomingEndToEndTests.ourCode()
        try await withFreshSchema(component: "documents", migrations: DocumentsMigrations.all, logger: testLogger) { client in
            let database = TestDatabase(client: client)
            let schema = try await currentSchema(client)
            let partner = try await PartnerAgency.connect(name: "Ủy ban nhân dân tỉnh Cao Bằng")
            defer { Task { await partner.close() } }
            try await client.query(
                "insert into agencies (id, code, name, search_key) values (\(UUID()), \(partner.code), \(partner.name), 'uy ban')")

            let documents = try ServiceProcess(
                "documents",
                environment: [
                    "IOFFICE_AMQP_URL": TestEnvironment.amqpURL,
                    "IOFFICE_DATABASE_URL": TestEnvironment.databaseURL + "?search_path=\(schema)",
                    "IOFFICE_HTTP_PORT": "0", "IOFFICE_AGENCY_CODE": ourCode, "IOFFICE_AGENCY_NAME": "Liên đoàn",
                    "IOFFICE_ADMIN_PASSWORD": "Khoi-tao-\(UUID().uuidString.prefix(8))", "IOFFICE_BCRYPT_COST": "4",
                    "IOFFICE_SECRETS_KEYS": "khoa-thu-nghiem-0123456789abcdef0123456789",
                    "IOFFICE_LOG_LEVEL": "info", "IOFFICE_FAILPOINT": Failpoint.beforeAck.rawValue,
                ])
            let inbound = Routes.inboundQueue(of: ourCode)
            defer { Task { try? await BrokerAdmin.deleteQueue(inbound); try? await BrokerAdmin.deleteQueue(inbound + ".dlq") } }
            try await documents.waitForLog("documents started", timeout: .seconds(60))

            let document = SampleDocuments.document(from: partner.ref, to: ourCode)
            try await partner.send(try document.encoded(), to: ourCode)
            try await documents.waitForLog("failpoint \(Failpoint.beforeAck.rawValue) reached", timeout: .seconds(30))
            // Committed: the document has its number; the message is still the broker's, unacked.
            #expect(try await database.count("select count(*)::int from incoming_documents") == 1)
            #expect(try await database.count("select count(*)::int from inbox") == 1)
            documents.kill(SIGKILL)

            // Back in the queue once the broker sees the connection gone.
            let admin = try TestEnvironment.connection("killed-before-ack")
            defer { Task { await admin.close() } }
            try await admin.waitUntilConnected()
            let requeued = try await eventually(timeout: .seconds(30)) {
                try await admin.queueStatus(inbound).messageCount == 1 ? true : nil
            }
            #expect(requeued == true, "the killed process's unacked message did not return to the queue")

            // The restarted process receives it again, finds it in the inbox, acks it, and adds nothing.
            try documents.start(removing: ["IOFFICE_FAILPOINT"])
            try await documents.waitForLog("duplicate message ignored", timeout: .seconds(60))
            #expect(try await database.count("select count(*)::int from incoming_documents") == 1)
            #expect(try await database.count("select max(arrival_number)::int from incoming_documents") == 1)
            #expect(try await admin.queueStatus(inbound).messageCount == 0)
            #expect(try await admin.queueStatus(inbound + ".dlq").messageCount == 0)
            // The partner hears "received" for its document: the outbox row committed with it was relayed.
            let statuses = try await partner.statuses(count: 1, timeout: .seconds(30))
            #expect(statuses.first?.documentId == document.documentId)
            // Killed again: an unacked redelivery would now be back in the queue; an acked one is gone. The
            // ack goes out on the connection thread's next turn (within 100 ms of the log line): give it one
            // second, or a kill in that window would look like a missing ack (it made this test flaky).
            try await Task.sleep(for: .seconds(1))
            documents.kill(SIGKILL)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await admin.queueStatus(inbound).messageCount == 0, "the redelivered message was never acked")
        }
    }

    func currentSchema(_ client: PostgresClient) async throws -> String {
        let rows = try await client.query("select current_schema()::text").decode(String.self)
        return try #require(try await rows.first { _ in true })
    }
}
