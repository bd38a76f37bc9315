import AMQPClient
import Contracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@testable import Notify

/// A request handled on its own (what the worker falls back to when a batch fails) is written as a
/// batch of one: the same rows, and the same request twice adds nothing.
@Suite("One notification request on its own", .timeLimit(.minutes(3)))
struct SingleRequestTests {
    @Test func aRequestAloneIsWrittenAsABatchOfOne() async throws {
        try await withFreshSchema(component: "notify", migrations: NotifyMigrations.all, logger: notifyLogger) { database in
            let (withPhone, withoutPhone) = (UUID(), UUID())
            let harness = try await NotifyHarness(database: database)
            try await harness.person(withPhone, "Hoàng Thị Huỳnh", unit: UUID(), phone: "+84912345678")
            try await harness.person(withoutPhone, "Bế Văn Phối", unit: UUID())
            let request = NotificationRequestV1(
                requestId: UUID(), recipients: [withPhone, withoutPhone], channels: [.inApp, .sms], title: "Văn bản đến cần xử lý",
                body: "Về việc triển khai phần mềm", link: "/van-ban-den/1")
            let message = IncomingMessage(
                messageID: UUID().uuidString, type: NotificationRequestV1.messageType, body: try request.encoded(), properties: AMQPProperties(),
                routingKey: Routes.notificationRequestedKey, redelivered: false)
            for _ in 1...2 {
                try await database.withTransaction(logger: notifyLogger) { connection in
                    try await RequestHandler().handle(message, connection: connection, logger: notifyLogger)
                }
            }
            #expect(try await NotifyFlowTests.count("select count(*)::int from messages", database) == 2)
            #expect(try await NotifyFlowTests.count("select count(*)::int from sms where state = 'queued'", database) == 1)
            #expect(try await NotifyFlowTests.count("select count(*)::int from sms where state = 'noPhone'", database) == 1)
            #expect(try await NotifyFlowTests.count("select count(*)::int from outbox where message_type = 'sms.v1'", database) == 1)
        }
    }
}
