import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@testable import Notify

/// Live event streams hold a connection for hours: one user may not open them without end, and a stream
/// does not outlive the token that opened it.
@Suite("Live event streams are bounded", .serialized, .timeLimit(.minutes(2)))
struct EventStreamLimitsTests {
    @Test func oneUserMayHoldOnlyAFewStreamsAtOnce() async throws {
        try await withFreshSchema(component: "notify", migrations: NotifyMigrations.all, logger: notifyLogger) { database in
            let events = InboxEvents(client: database, logger: notifyLogger)
            let user = UUID()
            var held: [AsyncStream<LiveEvent>] = []
            for _ in 0..<InboxEvents.perUser { held.append(try #require(await events.subscribe(user))) }
            #expect(await events.subscribe(user) == nil)
            #expect(await events.subscribe(UUID()) != nil, "another user is not held up")
            #expect(held.count == InboxEvents.perUser)
        }
    }

    @Test func aStreamEndsWhenItsTokenExpires() async throws {
        try await withFreshSchema(component: "notify", migrations: NotifyMigrations.all, logger: notifyLogger) { database in
            let harness = try await NotifyHarness(database: database)
            let token = try await harness.token(UUID(), name: "Trần Văn Bình", lifetime: .seconds(2))
            try await Application(router: harness.router).test(.router) { client in
                // The router test client returns once the body ends: before, this waited forever.
                let stream = try await client.call(.get, "/api/v1/messages/stream", token: token)
                #expect(stream.status == .ok)
                #expect(String(buffer: stream.body).hasPrefix("event: unread\ndata: {\"unread\":0}"))
            }
        }
    }
}
