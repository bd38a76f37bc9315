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

/// SMS a meeting organiser's invitations ask for count against the organiser's own hourly limit, as if
/// typed: past it the attendees are told in the app only.
@Suite("SMS asked for on someone's behalf", .timeLimit(.minutes(3)))
struct SenderLimitTests {
    @Test func smsOnASendersBehalfCountAgainstTheirLimitAndPastItGoInTheAppOnly() async throws {
        try await withFreshSchema(component: "notify", migrations: NotifyMigrations.all, logger: notifyLogger) { database in
            let harness = try await NotifyHarness(database: database)
            let organiser = UUID()
            let attendees = (0..<3).map { _ in UUID() }
            for (index, person) in attendees.enumerated() {
                try await harness.person(person, "Người dự họp \(index)", unit: UUID(), phone: "+8491234567\(index)")
            }
            func invite() async throws {
                let request = NotificationRequestV1(
                    requestId: UUID(), recipients: attendees, channels: [.inApp, .sms], title: "Mời họp", body: "Giao ban tuần", sender: organiser)
                let message = IncomingMessage(
                    messageID: UUID().uuidString, type: NotificationRequestV1.messageType, body: try request.encoded(), properties: AMQPProperties(),
                    routingKey: Routes.notificationRequestedKey, redelivered: false)
                try await database.withTransaction(logger: notifyLogger) { connection in
                    try await RequestHandler().handle(message, connection: connection, logger: notifyLogger)
                }
            }
            try await invite()
            #expect(try await NotifyFlowTests.count("select count(*)::int from sms where sender_id = '\(organiser)'", database) == 3)
            // 57 more sent by hand within the hour: the next invitation's 3 SMS would make 63.
            try await database.query(
                """
                insert into sms (id, sender_id, recipient_id, phone, text, state, ttl_seconds, created_at, expires_at, state_at)
                select gen_random_uuid(), \(organiser), \(attendees[0]), '+84912345670', 'tin', 'sent', 3600, now(), now() + interval '1 hour', now()
                from generate_series(1, 57)
                """)
            try await invite()
            #expect(try await NotifyFlowTests.count("select count(*)::int from sms where sender_id = '\(organiser)'", database) == 60)
            #expect(try await NotifyFlowTests.count("select count(*)::int from messages", database) == 6, "in the app, both times")
            #expect(try await NotifyFlowTests.count("select count(*)::int from outbox where message_type = 'sms.v1'", database) == 3)
        }
    }
}
