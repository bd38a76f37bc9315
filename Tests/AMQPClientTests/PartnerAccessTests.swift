import AMQPClient
import Foundation
import Testing
import TestSupport

@Suite("Partner broker users from deploy/add-partner", .timeLimit(.minutes(1)))
struct PartnerAccessTests {
    @Test func agencyMayPublishDocumentsAndReadOnlyItsOwnQueue() async throws {
        // One fixed test partner: each run rotates its password instead of leaving a new user behind.
        let code = "000.00.00.T99"
        let output = try TestEnvironment.run(TestEnvironment.repoRoot + "/deploy/add-partner", ["agency", code])
        let url = try #require(output.split(separator: "\n").last.map(String.init))
        #expect(url.hasPrefix("amqp://"))
        let partner = AMQPConnection(configuration: try AMQPConfiguration(url: url, connectionName: "partner-\(code)"))
        defer { Task { await partner.close() } }
        try await partner.waitUntilConnected()

        // A document addressed to the partner itself lands in its own queue, which it may read.
        let id = UUID().uuidString
        try await partner.publish(
            Array("{}".utf8), exchange: "ioffice.exchange", routingKey: "document.\(code)",
            properties: AMQPProperties(messageID: id, type: "document.v1", contentType: "application/json", userID: code))
        let own = try await partner.consume(queue: "documents.inbound.\(code)")
        let delivery = try #require(try await collect(own, count: 1, timeout: .seconds(5)).first)
        #expect(delivery.properties.messageID == id)
        #expect(delivery.properties.userID == code)
        await own.cancel()

        // Any other exchange or queue is refused, though both exist.
        let admin = try TestEnvironment.connection("partner-admin")
        defer { Task { await admin.close() } }
        try await admin.waitUntilConnected()
        let otherQueue = TestEnvironment.uniqueQueue("not-the-partners")
        try await admin.declare(Topology(exchanges: [.init("ioffice.events")], queues: [.init(otherQueue)]))
        defer { Task { try? await admin.deleteQueue(otherQueue); try? await admin.deleteQueue(otherQueue + ".dlq") } }
        do {
            _ = try await partner.consume(queue: otherQueue)
            Issue.record("partner read another queue")
        } catch let AMQPError.channelClosed(code, _) {
            #expect(code == 403)
        }
        do {
            try await partner.publish(Array("{}".utf8), exchange: "ioffice.events", routingKey: "x")
            Issue.record("partner published to another exchange")
        } catch let AMQPError.channelClosed(code, _) {
            #expect(code == 403)
        }
        // On ioffice.exchange, only the three inter-agency routing keys.
        do {
            try await partner.publish(Array("{}".utf8), exchange: "ioffice.exchange", routingKey: "signing.verified")
            Issue.record("partner published a routing key that is not an inter-agency one")
        } catch let AMQPError.channelClosed(code, _) {
            #expect(code == 403)
        }
        // Pretending to be someone else is refused by the broker too.
        do {
            try await partner.publish(
                Array("{}".utf8), exchange: "ioffice.exchange", routingKey: "document.\(code)",
                properties: AMQPProperties(messageID: UUID().uuidString, userID: "documents"))
            Issue.record("partner published with another user_id")
        } catch let AMQPError.channelClosed(code, _) {
            #expect(code == 406)
        }
    }
}

@Suite("deploy/add-partner refuses what is not a partner", .timeLimit(.minutes(1)))
struct PartnerRefusalTests {
    @Test func ourOwnAgencyCodeAndOurServiceUsersAreRefused() throws {
        let env = try String(contentsOfFile: TestEnvironment.repoRoot + "/.local/env/documents.env", encoding: .utf8)
        let ours = try #require(env.split(separator: "\n").first { $0.hasPrefix("IOFFICE_AGENCY_CODE=") }?.dropFirst(20))
        for (kind, name) in [("agency", String(ours)), ("agency", String(ours).lowercased()), ("agency", "documents"), ("sms-gateway", "notify")] {
            #expect(throws: TestEnvironment.CommandFailed.self, "\(kind) \(name)") {
                try TestEnvironment.run(TestEnvironment.repoRoot + "/deploy/add-partner", [kind, name])
            }
        }
    }
}
