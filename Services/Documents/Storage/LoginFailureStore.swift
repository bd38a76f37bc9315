import Foundation
import Logging
import PostgresNIO

/// The login throttle's failure counts, in Documents' database: every replica sees the same waits, and a
/// restart forgets none (an attacker cannot restart the count by waiting for a deploy or by reaching
/// another replica). The arithmetic is `LoginThrottle`'s; this only keeps its records.
struct LoginFailureStore: Sendable {
    enum Kind: String, Sendable { case pair, address, code }

    let client: PostgresClient
    let throttle: LoginThrottle
    let logger: Logger

    /// The longest wait still running for any of `keys`; nil when none. `connection`: the caller's
    /// (its transaction), so that a request holding one never waits for a second.
    func wait(_ keys: [(Kind, String)], at now: Date, on connection: PostgresConnection? = nil) async throws -> TimeInterval? {
        let kinds = keys.map(\.0.rawValue)
        let names = keys.map { Self.clean($0.1) }
        let query: PostgresQuery = """
            select max(next_try) from login_failures f join unnest(\(kinds)::text[], \(names)::text[]) as k (kind, key)
                on f.kind = k.kind and f.key = k.key
            where f.next_try > \(now)
            """
        let rows: PostgresRowSequence
        if let connection { rows = try await connection.query(query, logger: logger) } else { rows = try await client.query(query, logger: logger) }
        for try await latest in rows.decode(Date?.self) { return latest.map { $0.timeIntervalSince(now) } }
        return nil
    }

    /// One more failure for `key`, counted by `rule`, under the row's lock so that parallel failures
    /// all count.
    func failed(_ kind: Kind, _ key: String, rule: LoginThrottle.Rule, at now: Date, on given: PostgresConnection? = nil) async throws {
        let key = Self.clean(key)
        if let given { return try await count(kind, key, rule: rule, at: now, on: given) }
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            try await count(kind, key, rule: rule, at: now, on: connection)
        }
    }

    private func count(_ kind: Kind, _ key: String, rule: LoginThrottle.Rule, at now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            insert into login_failures (kind, key, failures, last_failure, next_try) values (\(kind.rawValue), \(key), 0, \(now), \(now))
            on conflict (kind, key) do nothing
            """, logger: logger)
        var previous: LoginThrottle.Record?
        for try await (failures, last, next) in try await connection.query(
            "select failures, last_failure, next_try from login_failures where kind = \(kind.rawValue) and key = \(key) for update", logger: logger
        ).decode((Int, Date, Date).self) {
            previous = failures == 0 ? nil : LoginThrottle.Record(failures: failures, lastFailure: last, nextTry: next)
        }
        let record = LoginThrottle.afterFailure(previous, rule: rule, at: now)
        try await connection.query(
            """
            update login_failures set failures = \(record.failures), last_failure = \(record.lastFailure), next_try = \(record.nextTry)
            where kind = \(kind.rawValue) and key = \(key)
            """, logger: logger)
    }

    func clear(_ kind: Kind, _ key: String, on connection: PostgresConnection? = nil) async throws {
        let query: PostgresQuery = "delete from login_failures where kind = \(kind.rawValue) and key = \(Self.clean(key))"
        if let connection { try await connection.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
    }

    /// Forgets records no rule still counts (the hourly watch calls it); returns how many.
    static func prune(before: Date, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        var removed = 0
        for try await _ in try await connection.query(
            "delete from login_failures where last_failure < \(before) and next_try < now() returning 1", logger: logger
        ) { removed += 1 }
        return removed
    }

    /// Keys are what was typed: at most 64 characters of a username, and no NUL, which PostgreSQL refuses.
    static func clean(_ key: String) -> String { String(key.replacingOccurrences(of: "\u{0}", with: "").prefix(200)) }
}
