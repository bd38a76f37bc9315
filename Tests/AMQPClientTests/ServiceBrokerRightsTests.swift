import AMQPClient
import Foundation
import Testing
import TestSupport

/// The services' own broker users, as `deploy/local/setup` makes them: a stolen credential of one service
/// can neither read inter-agency traffic nor publish another service's events, nor touch the shared
/// exchanges. Each refusal is the broker's (403 ACCESS_REFUSED), not our code's.
@Suite("A service's broker user has only the rights it needs", .serialized, .timeLimit(.minutes(2)))
struct ServiceBrokerRightsTests {
    static func connect(as service: String) async throws -> AMQPConnection {
        let connection = AMQPConnection(
            configuration: try AMQPConfiguration(url: TestEnvironment.serviceAMQPURL(service), connectionName: "rights-\(service)"))
        try await connection.waitUntilConnected()
        return connection
    }

    /// Runs `step` and expects the broker to refuse it with `code`.
    static func refused(_ what: String, code: UInt16 = 403, _ step: () async throws -> Void) async {
        do {
            try await step()
            Issue.record("allowed: \(what)")
        } catch let AMQPError.channelClosed(got, text) {
            #expect(got == code, "\(what): \(text)")
        } catch {
            Issue.record("\(what): \(error)")
        }
    }

    @Test func calendarCannotReadInterAgencyTrafficNorSpeakForSigningNorSendSms() async throws {
        let calendar = try await Self.connect(as: "calendar")
        defer { Task { await calendar.close() } }
        let spy = "calendar.spy.\(UUID().uuidString.prefix(8).lowercased())"
        // Its own queue it may declare; binding it to what it must not read is refused.
        try await calendar.declare(Topology(queues: [.init(spy, deadLetterQueue: false)]))
        defer { Task { try? await BrokerAdmin.deleteQueue(spy) } }
        await Self.refused("bind to ioffice.exchange") {
            try await calendar.declare(Topology(bindings: [.init(queue: spy, exchange: "ioffice.exchange", routingKey: "#")]))
        }
        await Self.refused("bind to signing.verified") {
            try await calendar.declare(Topology(bindings: [.init(queue: spy, exchange: "ioffice.events", routingKey: "signing.verified")]))
        }
        await Self.refused("bind to every internal event") {
            try await calendar.declare(Topology(bindings: [.init(queue: spy, exchange: "ioffice.events", routingKey: "#")]))
        }
        await Self.refused("publish signing.verified") {
            try await calendar.publish(
                Array("{}".utf8), exchange: "ioffice.events", routingKey: "signing.verified",
                properties: AMQPProperties(messageID: UUID().uuidString, userID: "calendar"))
        }
        await Self.refused("publish straight to notify.sms.outbound") {
            try await calendar.publish(
                Array("{}".utf8), exchange: "", routingKey: "notify.sms.outbound",
                properties: AMQPProperties(messageID: UUID().uuidString, userID: "calendar"))
        }
        await Self.refused("publish to ioffice.exchange") {
            try await calendar.publish(Array("{}".utf8), exchange: "ioffice.exchange", routingKey: "document.000.00.00.H11")
        }
        await Self.refused("redeclare the shared ioffice.events") {
            try await calendar.declare(Topology(exchanges: [.init("ioffice.events")]))
        }
        await Self.refused("dead-letter into another service's queue") {
            try await calendar.publish(Array("{}".utf8), exchange: "ioffice.dead-letters", routingKey: "documents.events.dlq")
        }
    }

    @Test func signingAndNotifyMayNotPublishWhatTheyDoNotOwn() async throws {
        let signing = try await Self.connect(as: "signing")
        defer { Task { await signing.close() } }
        await Self.refused("signing publishes notification.requested") {
            try await signing.publish(Array("{}".utf8), exchange: "ioffice.events", routingKey: "notification.requested")
        }
        await Self.refused("signing publishes a directory event") {
            try await signing.publish(Array("{}".utf8), exchange: "ioffice.events", routingKey: "directory.user.changed")
        }
        let notify = try await Self.connect(as: "notify")
        defer { Task { await notify.close() } }
        await Self.refused("notify publishes signing.verified") {
            try await notify.publish(Array("{}".utf8), exchange: "ioffice.events", routingKey: "signing.verified")
        }
        await Self.refused("notify reads inter-agency documents") {
            _ = try await notify.consume(queue: "documents.inbound.000.00.00.H11")
        }
    }

    @Test func documentsCannotReadOrDeleteAPartnersInboundQueue() async throws {
        // The partner of PartnerAccessTests: each run rotates its password instead of leaving a user behind.
        _ = try TestEnvironment.run(TestEnvironment.repoRoot + "/deploy/add-partner", ["agency", "000.00.00.T99"])
        let documents = try await Self.connect(as: "documents")
        defer { Task { await documents.close() } }
        await Self.refused("consume a partner's inbound queue") {
            _ = try await documents.consume(queue: "documents.inbound.000.00.00.T99")
        }
        await Self.refused("delete a partner's inbound queue") { try await documents.deleteQueue("documents.inbound.000.00.00.T99") }
        await Self.refused("declare a queue of another name") {
            try await documents.declare(Topology(queues: [.init("documents.spy", deadLetterQueue: false)]))
        }
    }

    @Test func aServiceStillDeadLettersIntoItsOwnQueuesThroughTheDeadLetterExchange() async throws {
        let calendar = try await Self.connect(as: "calendar")
        defer { Task { await calendar.close() } }
        let probe = "calendar.probe.\(UUID().uuidString.prefix(8).lowercased())"
        // As the service declares its topology: shared exchanges only checked, the .dlq bound by name.
        try await calendar.declare(
            Topology(
                exchanges: [.shared("ioffice.events"), .shared("ioffice.dead-letters")], queues: [.init(probe)],
                deadLetterExchange: "ioffice.dead-letters"))
        defer { Task { try? await BrokerAdmin.deleteQueue(probe); try? await BrokerAdmin.deleteQueue(probe + ".dlq") } }
        let id = UUID().uuidString
        try await calendar.publish(
            Array("{}".utf8), exchange: "ioffice.dead-letters", routingKey: probe + ".dlq",
            properties: AMQPProperties(messageID: id, userID: "calendar"))
        let parked = try await calendar.consume(queue: probe + ".dlq")
        let delivery = try #require(try await collect(parked, count: 1, timeout: .seconds(5)).first)
        #expect(delivery.properties.messageID == id)
        await parked.cancel()
    }

    /// The default exchange reaches every queue by name: with write on it, Documents' credential could put
    /// SMS straight on the gateway's queue (past Notify's limits) and Notify's could ask Signing for
    /// anything. Neither has it; each publishes its own routing key on a topic exchange instead.
    @Test func noServiceWritesToTheDefaultExchange() async throws {
        let documents = try await Self.connect(as: "documents")
        let notify = try await Self.connect(as: "notify")
        defer { Task { await documents.close(); await notify.close() } }
        await Self.refused("documents puts an SMS on the gateway's queue") {
            try await documents.publish(Array("{}".utf8), exchange: "", routingKey: "notify.sms.outbound")
        }
        await Self.refused("documents publishes sms.outbound") {
            try await documents.publish(Array("{}".utf8), exchange: "ioffice.sms", routingKey: "sms.outbound")
        }
        await Self.refused("notify puts a request on signing.verify") {
            try await notify.publish(Array("{}".utf8), exchange: "", routingKey: "signing.verify")
        }
        await Self.refused("notify publishes signing.verify") {
            try await notify.publish(Array("{}".utf8), exchange: "ioffice.events", routingKey: "signing.verify")
        }
        await Self.refused("notify publishes an SMS report as if it were the gateway") {
            try await notify.publish(Array("{}".utf8), exchange: "ioffice.sms", routingKey: "sms.report")
        }
        // What each owns still goes: ArrivalSignatureTests (Documents to Signing) and NotifyFlowTests (Notify
        // to the gateway) use these very routes; publishing here would leave junk in the real queues.
    }
}
