import AMQPClient
import Foundation
import Logging
import Metrics
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Publishes committed outbox rows with publisher confirms, oldest first, and deletes each row once the
/// broker confirmed it. Rows are locked (`skip locked`) while in flight, so several relays may run.
/// A crash after the confirm and before the delete publishes that row again with the same `message_id`,
/// which consumers' inboxes ignore: together, exactly one effect.
///
/// - The relay wakes when rows are committed (the outbox's `NOTIFY`), and polls every `pollInterval`
///   only as a fallback (rows waiting for their next attempt, a lost listener).
/// - With the broker away nothing is spent: rows keep their attempts and the relay backs off.
/// - A row the broker refuses (unroutable, access refused, unknown exchange) is tried again alone, so it
///   cannot fail the rows behind it, then waits a growing pause; after `maxAttempts` it is moved to
///   `outbox_parked` with the reason, counted in `/metrics`, for an operator to replay (deploy/outbox).
public final class OutboxRelay: Service {
    let client: PostgresClient
    let publisher: AMQPConnection
    let appID: String
    let logger: Logger
    let batchSize: Int
    let pollInterval: Duration
    let maxAttempts: Int
    /// The pause after a row's first refusal; it doubles per attempt, up to the upper bound.
    let retryDelay: ClosedRange<Duration>
    /// How long the broker may take to confirm a batch before the round is abandoned (rows untouched).
    let confirmTimeout: Duration
    let doorbell = Doorbell()
    static let channel = "ioffice_outbox"

    let relayed = Counter(label: "ioffice_outbox_relayed_total")
    let failed = Counter(label: "ioffice_outbox_publish_failures_total")
    let parkedTotal = Counter(label: "ioffice_outbox_parked_total")
    let expiredTotal = Counter(label: "ioffice_outbox_expired_total")
    let parkedRows = Gauge(label: "ioffice_outbox_parked_rows")

    public init(
        client: PostgresClient, publisher: AMQPConnection, appID: String, logger: Logger, batchSize: Int = 256,
        pollInterval: Duration = .seconds(1), maxAttempts: Int = 10,
        retryDelay: ClosedRange<Duration> = .seconds(1) ... .seconds(300), confirmTimeout: Duration = .seconds(30)
    ) {
        self.client = client
        self.publisher = publisher
        self.appID = appID
        self.logger = logger
        self.batchSize = max(1, batchSize)
        self.pollInterval = pollInterval
        self.maxAttempts = max(1, maxAttempts)
        self.retryDelay = retryDelay
        self.confirmTimeout = confirmTimeout
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.listenForCommits() }
                await self.relayUntilCancelled()
                group.cancelAll()
            }
        }
    }

    private func relayUntilCancelled() async {
        let firstPause = Duration.milliseconds(100)
        var pause = firstPause
        var parkedCountedAt = ContinuousClock.now - .seconds(60)
        while !Task.isCancelled {
            do {
                if ContinuousClock.now - parkedCountedAt > .seconds(30) {
                    parkedRows.record(try await countParked())
                    parkedCountedAt = .now
                }
                let round = try await relayBatch()
                if round.brokerAway {
                    try await Task.sleep(for: pause.jittered())
                    pause = min(pause * 2, .seconds(5))
                    continue
                }
                pause = firstPause
                if round.parked > 0 { parkedCountedAt = .now - .seconds(60) }
                // A full batch means more may be due at once; otherwise wait for the next commit.
                if round.tried + round.expired < batchSize { await doorbell.wait(upTo: pollInterval) }
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                logger.warning("outbox relay failed, retrying", metadata: ["error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: pause.jittered())
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    /// Rings the doorbell at every commit that wrote outbox rows; reconnects when its connection is lost.
    private func listenForCommits() async {
        var pause = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        // Rows committed before LISTEN took effect are found by this one ring.
                        self.doorbell.ring()
                        pause = .milliseconds(100)
                        for try await _ in notifications { self.doorbell.ring() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.notice("outbox listener lost its connection, polling meanwhile", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: pause.jittered())
                pause = min(pause * 2, .seconds(5))
            }
        }
    }

    func countParked() async throws -> Int {
        let rows = try await client.query("select count(*)::int from outbox_parked", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
