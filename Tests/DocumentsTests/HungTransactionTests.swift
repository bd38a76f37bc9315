import Foundation
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@testable import Documents

/// A request whose transaction gets no answer from the database (here: it waits on a lock another session
/// holds) is given up after `Duration.requestTransaction`: the user gets a 503 they can retry, and the
/// connection goes back to the pool closed instead of hung, so later requests are served.
@Suite("HTTP requests whose transaction hangs", .timeLimit(.minutes(2)))
struct HungTransactionTests {
    @Test func aRequestWhoseTransactionHangsIsAnswered503AfterItsDeadlineAndThePoolServesTheNextOnes() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                let locked = AsyncStream<Void>.makeStream()
                let release = AsyncStream<Void>.makeStream()
                // Another session holds the units table; the request's insert waits on it.
                let holder = Task {
                    try await harness.client.withConnection { connection in
                        try await connection.query("begin", logger: testLogger)
                        try await connection.query("lock table units in access exclusive mode", logger: testLogger)
                        locked.continuation.yield()
                        for await _ in release.stream { break }
                        try await connection.query("rollback", logger: testLogger)
                    }
                }
                var signal = locked.stream.makeAsyncIterator()
                _ = await signal.next()

                let started = ContinuousClock.now
                let hung = try await client.send(
                    .post, "/api/v1/units", token: people.admin,
                    json: FirstLoginJourneyTests.NewUnit(code: "VP", name: "Văn phòng", abbreviation: "VP", parentId: nil))
                let waited = ContinuousClock.now - started
                #expect(hung.status == .serviceUnavailable)
                #expect(hung.problem?.detail?.contains("thử lại") == true)
                #expect(waited >= Duration.requestTransaction && waited < Duration.requestTransaction + .seconds(10))
                release.continuation.yield()
                try await holder.value

                // Nothing of the given-up request was written, and the pool serves what follows.
                #expect(try await harness.database.count("select count(*)::int from units where code = 'VP'") == 0)
                for index in 0..<3 {
                    let created = try await client.send(
                        .post, "/api/v1/units", token: people.admin,
                        json: FirstLoginJourneyTests.NewUnit(code: "P\(index)", name: "Phòng \(index)", abbreviation: "P\(index)", parentId: nil))
                    #expect(created.status == .created)
                }
            }
        }
    }
}
