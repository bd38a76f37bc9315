import Foundation
import PostgresNIO
import Testing

@testable import Documents

/// The login throttle against the real database: waits per (username, address) pair, per address and per
/// username for second-factor codes, kept in a table every replica shares. Two gates on one database are
/// two processes (or one process before and after a restart).
@Suite("Login throttle shared through the database", .serialized, .timeLimit(.minutes(3)))
struct LoginThrottleTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func gate(_ client: PostgresClient) -> LoginGate {
        LoginGate(store: LoginFailureStore(client: client, throttle: LoginThrottle(), logger: testLogger))
    }

    /// `times` failures at `now`; those past the free ones are recorded though the gate would make them
    /// wait (as many attempts spread over time would be), so that a test can reach a long wait at once.
    static func fail(_ gate: LoginGate, _ username: String, _ address: String, at now: Date, times: Int = 1) async throws {
        for _ in 0..<times {
            _ = try await gate.enter(username: username, address: address, at: now)
            await gate.leave(username: username, address: address, outcome: .failed, at: now)
        }
    }

    static func wait(_ gate: LoginGate, _ username: String, _ address: String, at now: Date) async throws -> TimeInterval? {
        guard let refusal = try await gate.enter(username: username, address: address, at: now) else {
            await gate.leave(username: username, address: address, outcome: .undecided, at: now)
            return nil
        }
        if case .wait(let seconds) = refusal { return seconds }
        return nil
    }

    @Test func failuresCountedByOneProcessHoldInAnotherAndAfterARestart() async throws {
        try await DocumentsHarness.with { harness in
            let first = Self.gate(harness.client)
            try await Self.fail(first, "admin", "10.0.0.66", at: now, times: 6)
            #expect(try await Self.wait(first, "admin", "10.0.0.66", at: now) == 2)
            // Another replica, or the same service started again: the same wait.
            let second = Self.gate(harness.client)
            #expect(try await Self.wait(second, "admin", "10.0.0.66", at: now) == 2)
            try await Self.fail(second, "admin", "10.0.0.66", at: now.addingTimeInterval(3))
            #expect(try await Self.wait(first, "admin", "10.0.0.66", at: now.addingTimeInterval(3)) == 4)
        }
    }

    @Test func anotherAddressIsNeverHeldUpByAnAttackersFailures() async throws {
        try await DocumentsHarness.with { harness in
            let gate = Self.gate(harness.client)
            // One failure every 4,000 s: each comes after an hour of quiet, so each counts as the first.
            for index in 0..<20 { try await Self.fail(gate, "admin", "10.0.0.66", at: now.addingTimeInterval(Double(index) * 4_000), times: 1) }
            let later = now.addingTimeInterval(19 * 4_000)
            #expect(try await Self.wait(gate, "admin", "10.0.0.66", at: later) == nil)
            try await Self.fail(gate, "admin", "10.0.0.66", at: later, times: 50)
            #expect(try await Self.wait(gate, "admin", "10.0.0.66", at: later) == 900)
            #expect(try await Self.wait(gate, "admin", "10.0.0.7", at: later) == nil)
            #expect(try await Self.wait(gate, "admin", "10.0.0.66", at: later.addingTimeInterval(901)) == nil)
        }
    }

    @Test func oneAddressSprayingManyNamesWaitsAfterThirtyAndTheRightPasswordClearsOnlyThePair() async throws {
        try await DocumentsHarness.with { harness in
            let gate = Self.gate(harness.client)
            for index in 1...29 { try await Self.fail(gate, "user\(index)", "10.0.0.66", at: now) }
            #expect(try await Self.wait(gate, "user99", "10.0.0.66", at: now) == nil)
            try await Self.fail(gate, "user30", "10.0.0.66", at: now)
            #expect(try await Self.wait(gate, "user99", "10.0.0.66", at: now) == 1)
            #expect(try await Self.wait(gate, "user99", "10.0.0.67", at: now) == nil)

            try await Self.fail(gate, "a", "x", at: now, times: 6)
            #expect(try await Self.wait(gate, "a", "x", at: now) == 2)
            #expect(try await gate.enter(username: "a", address: "x", at: now.addingTimeInterval(2)) == nil)
            await gate.leave(username: "a", address: "x", outcome: .succeeded, at: now.addingTimeInterval(2))
            #expect(try await Self.wait(gate, "a", "x", at: now.addingTimeInterval(2)) == nil)
        }
    }

    @Test func wrongCodesMakeTheAccountWaitFromEveryAddress() async throws {
        try await DocumentsHarness.with { harness in
            let gate = Self.gate(harness.client)
            for _ in 1...4 { try await gate.codeChecked(username: "giamdoc", right: false, at: now) }
            #expect(try await gate.codeWait(username: "giamdoc", at: now) == nil)
            try await gate.codeChecked(username: "giamdoc", right: false, at: now)
            let other = Self.gate(harness.client)
            guard case .wait(let seconds)? = try await other.codeWait(username: "giamdoc", at: now) else {
                Issue.record("no wait after five wrong codes")
                return
            }
            #expect(seconds == 30)
            #expect(try await other.codeWait(username: "khac", at: now) == nil)
            try await other.codeChecked(username: "giamdoc", right: true, at: now)
            #expect(try await gate.codeWait(username: "giamdoc", at: now) == nil)
        }
    }

    /// Made-up names do not stay: the hourly watch forgets what no rule counts any more.
    @Test func forgottenRecordsArePruned() async throws {
        try await DocumentsHarness.with { harness in
            let gate = Self.gate(harness.client)
            let old = Date().addingTimeInterval(-7_200)
            for index in 0..<50 { try await Self.fail(gate, "n\(index)", "a\(index)", at: old) }
            try await Self.fail(gate, "recent", "a1", at: Date())
            let removed = try await harness.client.withConnection { connection in
                try await LoginFailureStore.prune(before: Date().addingTimeInterval(-3_600), on: connection, logger: testLogger)
            }
            #expect(removed == 100 - 1, "every pair and address but a1's")
            #expect(try await harness.database.count("select count(*)::int from login_failures") == 2)
        }
    }
}
