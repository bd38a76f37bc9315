import AMQPClient
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Consumes one queue: each message is handled in a database transaction together with its inbox
/// entry, and acked only after the commit.
///
/// - A duplicate (`message_id` already in the inbox) is acked and ignored.
/// - With `producers` set, a message whose `user_id` (which the broker checks against the publishing
///   connection) is none of them is forged: dead-lettered with the reason, never handled.
/// - A `MessageRejected`, or a message without `message_id`, is published to `<queue>.dlq` with the
///   reason in `x-ioffice-error`, then acked: it never vanishes and never blocks the queue.
/// - A failure of the database or broker (`InfrastructureFailure`) is retried in hand, with a growing
///   pause, without spending the message's attempts: an outage never dead-letters live messages.
/// - An attempt that takes longer than `attemptTimeout` is abandoned and counts as a failed attempt.
/// - Any other error is retried by requeueing, with a growing pause, until the message has been
///   delivered `maxAttempts` times; then it is dead-lettered the same way with the last error.
/// Up to `concurrency` messages are handled at once, each in its own transaction (the inbox makes two
/// deliveries of one message id wait for each other); with `batchSize` above 1, each of those takes up
/// to that many waiting messages into one transaction instead (QueueWorker+Batches.swift). On graceful shutdown it stops taking messages,
/// finishes those in hand and acks them; what was prefetched but not started goes back to the queue.
public final class QueueWorker: Service {
    public let queue: String
    let consumerName: String
    let prefetch: UInt16
    let maxAttempts: Int
    /// How long one attempt (its transaction) may take before it is abandoned and counted as failed.
    let attemptTimeout: Duration
    let concurrency: Int
    let batchSize: Int
    let consumerConnection: AMQPConnection
    let publisher: AMQPConnection
    let client: PostgresClient
    let handler: any MessageHandler
    /// The broker users that publish what this queue takes; nil: anyone the broker lets write to it.
    let producers: Set<String>?
    /// Where `<queue>.dlq` is reached: "" (the default exchange) or a topic exchange it is bound to by name.
    let deadLetterExchange: String
    let logger: Logger
    let stopping = Atomic<Bool>(false)
    let handled: Counter
    let duplicates: Counter
    let deadLettered: Counter
    let retried: Counter
    let infrastructureRetries: Counter

    public init(
        queue: String, consumerName: String? = nil, prefetch: UInt16 = 32, maxAttempts: Int = 5, attemptTimeout: Duration = .seconds(30), concurrency: Int = 1, batchSize: Int = 1,
        consumerConnection: AMQPConnection, publisher: AMQPConnection, client: PostgresClient,
        handler: any MessageHandler, producers: Set<String>? = nil, deadLetterExchange: String = "", logger: Logger
    ) {
        self.producers = producers
        self.deadLetterExchange = deadLetterExchange
        self.queue = queue
        self.consumerName = consumerName ?? queue
        self.prefetch = prefetch
        self.maxAttempts = maxAttempts
        self.attemptTimeout = attemptTimeout
        self.concurrency = max(1, min(concurrency, Int(prefetch)))
        self.batchSize = max(1, batchSize)
        self.consumerConnection = consumerConnection
        self.publisher = publisher
        self.client = client
        self.handler = handler
        self.logger = logger
        let dimensions = [("queue", queue)]
        handled = Counter(label: "ioffice_messages_handled_total", dimensions: dimensions)
        duplicates = Counter(label: "ioffice_messages_duplicate_total", dimensions: dimensions)
        deadLettered = Counter(label: "ioffice_messages_dead_lettered_total", dimensions: dimensions)
        retried = Counter(label: "ioffice_messages_retried_total", dimensions: dimensions)
        infrastructureRetries = Counter(label: "ioffice_messages_infrastructure_retries_total", dimensions: dimensions)
    }

    public func run() async throws {
        let consumer = try await consumerConnection.consume(queue: queue, prefetch: prefetch)
        logger.info("consuming", metadata: ["queue": "\(queue)"])
        do {
            try await consume(consumer)
        } catch {
            // Cancelled or failed: the broker must stop delivering to a consumer nobody reads any more
            // (what it holds would stay unacked for as long as the connection lives).
            await consumer.cancel()
            throw error
        }
        await consumer.cancel()
    }

    private func consume(_ consumer: AMQPConsumer) async throws {
        if batchSize > 1 { return try await runBatched(consumer) }
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                var inFlight = 0
                let finished = AsyncStream<Void>.makeStream()
                var completions = finished.stream.makeAsyncIterator()
                for try await delivery in consumer {
                    if stopping.load(ordering: .relaxed) {
                        delivery.nack(requeue: true)
                        continue
                    }
                    if concurrency == 1 {
                        await process(delivery)
                        continue
                    }
                    // At most `concurrency` at once: wait for one to finish before starting another.
                    if inFlight == concurrency {
                        _ = await completions.next()
                        inFlight -= 1
                    }
                    inFlight += 1
                    let done = finished.continuation
                    group.addTask {
                        await self.process(delivery)
                        done.yield()
                    }
                }
                finished.continuation.finish()
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            Task { await consumer.cancel() }
        }
        logger.info("stopped consuming", metadata: ["queue": "\(queue)"])
    }

    /// Handles one delivery to the end: acked, or dead-lettered, or requeued for another attempt.
    func process(_ delivery: AMQPDelivery) async {
        guard let messageID = delivery.properties.messageID, !messageID.isEmpty else {
            return await deadLetter(delivery, reason: "message without message_id")
        }
        guard isFromAProducer(delivery) else {
            return await deadLetter(
                delivery, reason: "forged: published by broker user \(delivery.properties.userID ?? "(none)"), which does not produce what \(queue) takes")
        }
        let message = IncomingMessage(
            messageID: messageID, type: delivery.properties.type, body: delivery.body, properties: delivery.properties,
            routingKey: delivery.routingKey, redelivered: delivery.redelivered)
        var logger = self.logger
        logger[metadataKey: "messageID"] = "\(messageID)"
        logger[metadataKey: "queue"] = "\(queue)"
        var pause = Duration.milliseconds(100)
        var step: (@Sendable (PostgresConnection) async throws -> Void)?
        while true {
            do {
                if step == nil { step = try await self.step(for: message, logger: logger) }
                let isNew = try await client.withTransaction(deadline: attemptTimeout, logger: logger) { [self, logger, step] connection in
                    guard
                        try await Inbox.claim(
                            messageID: messageID, type: message.type, consumer: consumerName, on: connection, logger: logger)
                    else { return false }
                    try await step?(connection)
                    return true
                }
                if isNew { await Failpoint.beforeAck.hold(logger: logger) }
                delivery.ack()
                (isNew ? handled : duplicates).increment()
                if !isNew { logger.info("duplicate message ignored") }
                return
            } catch let error where Self.rejection(in: error) != nil {
                return await deadLetter(delivery, reason: Self.rejection(in: error)!.reason)
            } catch let error where InfrastructureFailure.contains(error) && !stopping.load(ordering: .relaxed) {
                // The database or broker is away, or the deployment lacks something an operator must
                // add: the message is not at fault, so it keeps its attempts and waits here, in hand.
                logger.warning(
                    "database, broker or configuration unavailable, retrying the message without spending its attempts",
                    metadata: ["error": "\(String(reflecting: error))", "pause": "\(pause)"])
                infrastructureRetries.increment()
                try? await Task.sleep(for: pause.jittered())
                pause = min(pause * 2, .seconds(5))
            } catch {
                let attempt = delivery.deliveryCount + 1
                if attempt >= maxAttempts, !InfrastructureFailure.contains(error) {
                    return await deadLetter(delivery, reason: "failed \(attempt) times: \(String(reflecting: error))")
                }
                logger.warning("message failed, will retry", metadata: ["attempt": "\(attempt)", "error": "\(String(reflecting: error))"])
                retried.increment()
                try? await Task.sleep(for: .milliseconds(200 * min(attempt, 25)))
                return delivery.nack(requeue: true)
            }
        }
    }

    /// What runs inside the transaction: a preparing handler's work outside it is done here, first.
    func step(for message: IncomingMessage, logger: Logger) async throws -> @Sendable (PostgresConnection) async throws -> Void {
        if let preparing = handler as? any PreparingMessageHandler { return try await preparing.prepared(message, logger: logger) }
        let handler = self.handler
        return { connection in try await handler.handle(message, connection: connection, logger: logger) }
    }

    func isFromAProducer(_ delivery: AMQPDelivery) -> Bool {
        guard let producers else { return true }
        guard let user = delivery.properties.userID else { return false }
        if producers.contains(user) { return true }
        // A dead letter replayed by an operator comes as this service's own user, with its first sender
        // kept by deadLetter(): that sender decides (a forged one stays forged).
        return user == publisher.configuration.user
            && delivery.properties.headers["x-ioffice-original-user-id"].map(producers.contains) == true
    }

    /// The handler's `MessageRejected`, also when PostgresNIO wrapped it in a transaction error.
    static func rejection(in error: any Error) -> MessageRejected? {
        if let rejection = error as? MessageRejected { return rejection }
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError {
            return rejection(in: inner)
        }
        return nil
    }

    /// Publishes the message, with the reason, to `<queue>.dlq` and acks the original once confirmed.
    func deadLetter(_ delivery: AMQPDelivery, reason: String) async {
        var properties = delivery.properties
        properties.headers["x-ioffice-error"] = String(reason.prefix(1000))
        properties.headers["x-ioffice-queue"] = queue
        // The broker checks user_id against the publisher: keep the original sender in a header instead.
        if let sender = properties.userID { properties.headers["x-ioffice-original-user-id"] = sender }
        properties.userID = publisher.configuration.user
        properties.persistent = true
        do {
            try await publisher.publish(delivery.body, exchange: deadLetterExchange, routingKey: queue + ".dlq", properties: properties)
            delivery.ack()
            deadLettered.increment()
            logger.warning(
                "message dead-lettered",
                metadata: ["queue": "\(queue)", "messageID": "\(delivery.properties.messageID ?? "-")", "reason": "\(reason)"])
        } catch {
            // Could not park it: requeue; the queue's delivery limit dead-letters it if this persists.
            logger.error("dead-lettering failed, requeueing", metadata: ["error": "\(error)"])
            try? await Task.sleep(for: .milliseconds(500))
            delivery.nack(requeue: true)
        }
    }
}
