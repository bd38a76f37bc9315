import Foundation
import HummingbirdTesting
import Testing

@testable import Calendar

/// A personal schedule is its owner's; a unit's week (drafts included) is for its people and leaders.
@Suite("Who may read which schedule", .serialized, .timeLimit(.minutes(3)))
struct ScheduleReadAccessTests {
    typealias Flow = CalendarFlowTests

    @Test func anotherPersonsScheduleAndAnotherUnitsWeekAreRefusedWhileOwnOnesAreServed() async throws {
        try await Flow.withCalendar { office, client, _, _, token in
            let first = try await token(office.first, [])
            let leader = try await token(office.leader, [])
            let from = "&from=2026-12-07"
            #expect(try await Flow.send(client, .get, "/api/v1/schedule?scope=person\(from)", first).status == .ok)
            #expect(try await Flow.send(client, .get, "/api/v1/schedule?scope=person&userId=\(office.first)\(from)", first).status == .ok)
            #expect(try await Flow.send(client, .get, "/api/v1/schedule?scope=person&userId=\(office.second)\(from)", first).status == .forbidden)
            // The tokens name office.unit as everyone's unit; office.leader also leads office.otherUnit.
            #expect(try await Flow.send(client, .get, "/api/v1/schedule?scope=unit\(from)", first).status == .ok)
            #expect(try await Flow.send(client, .get, "/api/v1/schedule?scope=unit&unitId=\(office.otherUnit)\(from)", first).status == .forbidden)
            #expect(try await Flow.send(client, .get, "/api/v1/schedule?scope=unit&unitId=\(office.otherUnit)\(from)", leader).status == .ok)
            #expect(try await Flow.send(client, .get, "/api/v1/schedule?scope=leaders\(from)", first).status == .ok)
            #expect(try await Flow.send(client, .get, "/api/v1/schedule?scope=agency\(from)", first).status == .ok)
        }
    }
}
