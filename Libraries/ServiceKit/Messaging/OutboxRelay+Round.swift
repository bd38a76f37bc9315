import AMQPClient
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// What one relay round did.
public struct RelayRound: Sendable, Equatable {
    /// Rows taken from the outbox.
    public var tried = 0
    /// Rows the broker confirmed, now deleted.
    public var confirmed = 0
    /// Rows refused, kept for a later attempt.
    public var retrying = 0
    /// Rows moved to `outbox_parked` after their last attempt.
    public var parked = 0
    /// The broker was unreachable or did not confirm in time: unconfirmed rows were left as they were.
    public var brokerAway = false
    /// Rows whose time to live (`x-ioffice-expires-at`) ran out in the outbox: deleted unsent, as the
    /// broker would have dropped them (their consumer marks them expired on its own clock).
    public var expired = 0
}

extension OutboxRelay {
    private struct Row {
        var id: Int64
        var attempts: Int
        var message: OutgoingMessage
    }

    /// Relays up to one batch of due rows in one transaction, which holds their locks until the
    /// outcome is written: confirmed rows deleted, refused ones given their attempt or parked.
    @discardableResult
    public func relayBatch() async throws -> RelayRound {
        // Longer than the confirm timeout, so that a slow broker is told from a hung database.
        try await client.withTransaction(deadline: confirmTimeout + .seconds(30), logger: logger) { connection in
            let due = try await self.dueRows(connection)
            guard !due.isEmpty else { return RelayRound() }
            let stale = due.filter { $0.message.properties.expiration == "0" }
            if !stale.isEmpty {
                try await connection.query("delete from outbox where id = any(\(stale.map(\.id)))", logger: self.logger)
                self.expiredTotal.increment(by: stale.count)
                self.logger.notice("outbox rows expired before they could be sent, dropped", metadata: ["count": "\(stale.count)"])
            }
            let rows = due.filter { $0.message.properties.expiration != "0" }
            var round = RelayRound(tried: rows.count, expired: stale.count)
            guard !rows.isEmpty else { return round }
            var outcomes = try await self.publish(rows.map(\.message))
            // A row that closes the publish channel (403, 404) fails every publish behind it in the batch:
            // each refused row is tried once more alone, so that only its own refusal counts.
            if rows.count > 1, !outcomes.contains(where: Self.isBrokerAway), outcomes.contains(where: { $0 != nil }) {
                for index in outcomes.indices where outcomes[index] != nil {
                    outcomes[index] = try await self.publish([rows[index].message])[0]
                }
            }
            round.brokerAway = outcomes.contains(where: Self.isBrokerAway)

            let confirmed = zip(rows, outcomes).filter { $0.1 == nil }.map(\.0.id)
            if !confirmed.isEmpty {
                try await connection.query("delete from outbox where id = any(\(confirmed))", logger: self.logger)
            }
            round.confirmed = confirmed.count
            self.relayed.increment(by: confirmed.count)
            self.failed.increment(by: rows.count - confirmed.count)

            // Refusals of the message itself; with the broker away the rest is left untouched.
            let refused = zip(rows, outcomes).compactMap { row, outcome in
                outcome.flatMap { Self.isBrokerAway($0) ? nil : (row, "\($0)") }
            }
            if !refused.isEmpty {
                round.parked = try await self.recordRefusals(refused, on: connection)
                round.retrying = refused.count - round.parked
            }
            return round
        }
    }

    private func dueRows(_ connection: PostgresConnection) async throws -> [Row] {
        let rows = try await connection.query(
            """
            select id, message_id, message_type, exchange, routing_key, body, headers, created_at, attempts
            from outbox where next_attempt_at <= now() order by id limit \(batchSize) for update skip locked
            """, logger: logger)
        var due: [Row] = []
        for try await (id, messageID, type, exchange, routingKey, body, headers, createdAt, attempts) in rows.decode(
            (Int64, UUID, String, String, String, ByteBuffer, String, Date, Int).self)
        {
            let decoded = (try? JSONDecoder().decode([String: String].self, from: Data(headers.utf8))) ?? [:]
            let properties = AMQPProperties(
                messageID: messageID.uuidString.lowercased(), type: type, contentType: "application/json",
                timestamp: createdAt, appID: appID, userID: publisher.configuration.user,
                expiration: OutboxMessage.expiration(headers: decoded, now: Date()), headers: decoded)
            due.append(
                Row(
                    id: id, attempts: attempts,
                    message: OutgoingMessage(exchange: exchange, routingKey: routingKey, body: Array(buffer: body), properties: properties)))
        }
        return due
    }

    /// Publishes with a deadline: a broker that neither confirms nor drops the connection (a blocked
    /// connection, a stalled node) must not hold the rows' locks for good. A late confirm is harmless:
    /// the row is published again with the same `message_id`.
    private func publish(_ messages: [OutgoingMessage]) async throws -> [AMQPError?] {
        do {
            return try await withDeadline(confirmTimeout, "confirms for \(messages.count) outbox rows") { [publisher] in
                await publisher.publish(batch: messages)
            }
        } catch is DeadlineExceeded {
            logger.warning("the broker did not confirm outbox rows in time", metadata: ["timeout": "\(confirmTimeout)"])
            return Array(repeating: .notConnected, count: messages.count)
        }
    }

    /// Gives each refused row its attempt and its next time; rows past `maxAttempts` are parked.
    /// Returns how many were parked.
    private func recordRefusals(_ refused: [(Row, String)], on connection: PostgresConnection) async throws -> Int {
        let ids = refused.map(\.0.id)
        let errors = refused.map { String($0.1.prefix(1000)) }
        let firstDelay = Self.seconds(retryDelay.lowerBound)
        let longestDelay = Self.seconds(retryDelay.upperBound)
        try await connection.query(
            """
            update outbox o set attempts = o.attempts + 1, last_error = r.error,
                next_attempt_at = now() + make_interval(secs => least(\(firstDelay) * power(2, least(o.attempts, 30)), \(longestDelay)))
            from unnest(\(ids)::bigint[], \(errors)::text[]) as r(id, error)
            where o.id = r.id
            """, logger: logger)
        let parked = try await connection.query(
            """
            with moved as (delete from outbox where id = any(\(ids)) and attempts >= \(maxAttempts) returning *)
            insert into outbox_parked (id, message_id, message_type, exchange, routing_key, body, headers, created_at, attempts, reason)
            select id, message_id, message_type, exchange, routing_key, body, headers, created_at, attempts, coalesce(last_error, 'refused')
            from moved
            returning id, message_id::text, reason
            """, logger: logger)
        var count = 0
        for try await (id, messageID, reason) in parked.decode((Int64, String, String).self) {
            count += 1
            logger.error(
                "outbox row parked after its last attempt; replay it with deploy/outbox once the cause is fixed",
                metadata: ["row": "\(id)", "messageID": "\(messageID)", "reason": "\(reason)", "attempts": "\(maxAttempts)"])
        }
        parkedTotal.increment(by: count)
        for (row, error) in refused where row.attempts + 1 < maxAttempts {
            logger.warning(
                "outbox row refused by the broker, will retry",
                metadata: ["messageID": "\(row.message.properties.messageID ?? "")", "attempt": "\(row.attempts + 1)", "error": "\(error)"])
        }
        return count
    }

    /// Whether a publish failed because of the broker connection rather than the message.
    static func isBrokerAway(_ outcome: AMQPError?) -> Bool {
        switch outcome {
        case .notConnected?, .connectionLost?, .connectionClosed?, .library?, .shutdown?: true
        default: false
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
