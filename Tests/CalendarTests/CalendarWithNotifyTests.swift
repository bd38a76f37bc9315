import AMQPClient
import Contracts
import Foundation
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@testable import Notify

/// With Notify running beside Calendar, a meeting invitation ends in each attendee's in-app inbox and,
/// for those with a phone, on the SMS gateway's queue.
@Suite("Calendar with Notify running", .serialized, .timeLimit(.minutes(3)))
struct CalendarWithNotifyTests {
    @Test func anInvitationReachesTheInboxesAndTheSmsQueue() async throws {
        try await withFreshSchema(component: "notify", migrations: NotifyMigrations.all, logger: calendarLogger) { notifyDatabase in
            let connection = try TestEnvironment.connection("notify-beside-calendar")
            try await connection.waitUntilConnected()
            try await connection.declare(NotifyTopology.topology)
            for queue in [NotifyTopology.requestsQueue, NotifyTopology.directoryQueue, Routes.smsOutboundQueue] { try await connection.purgeQueue(queue) }
            let workers = [
                QueueWorker(
                    queue: NotifyTopology.requestsQueue, prefetch: NotifyWorkers.requestsPrefetch, concurrency: NotifyWorkers.requestsConcurrency,
                    batchSize: NotifyWorkers.requestsBatch, consumerConnection: connection, publisher: connection, client: notifyDatabase,
                    handler: RequestHandler(), logger: calendarLogger),
                QueueWorker(
                    queue: NotifyTopology.directoryQueue, consumerConnection: connection, publisher: connection, client: notifyDatabase,
                    handler: Notify.DirectoryHandler(), logger: calendarLogger),
            ]
            let relay = OutboxRelay(client: notifyDatabase, publisher: connection, appID: "notify", logger: calendarLogger)
            defer { Task { await connection.close() } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in workers { group.addTask { try await worker.run() } }
                group.addTask { try await relay.run() }
                defer { group.cancelAll() }
                try await CalendarFlowTests.withCalendar { office, client, heard, _, token in
                    let count = { (sql: String) in try await CalendarFlowTests.count(sql, notifyDatabase) }
                    #expect(try await CalendarFlowTests.waitFor { try await count("select count(*)::int from people") == 6 })
                    let outbound = try await connection.consume(queue: Routes.smsOutboundQueue)
                    let meeting = CalendarFlowTests.Meeting(
                        title: "Họp Ban Chấp hành", start: CalendarFlowTests.at("2026-12-09 08:00"), end: CalendarFlowTests.at("2026-12-09 11:00"),
                        room: "Hội trường", attendees: [["userId": office.first], ["userId": office.second], ["unitId": office.otherUnit]])
                    let created = try await CalendarFlowTests.send(client, .post, "/api/v1/meetings", try await token(office.organizer, [.smsSend]), meeting)
                    #expect(created.status == .created)
                    _ = try await CalendarFlowTests.next(heard)
                    #expect(try await CalendarFlowTests.waitFor { try await count("select count(*)::int from messages where title = 'Mời họp: Họp Ban Chấp hành'") == 3 })
                    let sms = try await collect(outbound, count: 3, timeout: .seconds(15)).map { try SmsV1.decode($0.body) }
                    await outbound.cancel()
                    #expect(sms.count == 3)
                    #expect(sms.allSatisfy { $0.text.hasPrefix("Moi hop: Hop Ban Chap hanh: 08:00") && $0.text.count <= 160 })
                }
            }
        }
    }
}
