import AMQPClient
import Logging
import PostgresNIO
import ServiceLifecycle

/// Batches: `concurrency` tasks each take what has arrived (up to `batchSize`) and handle it in one
/// transaction, each message inside its own savepoint with its own inbox entry. A commit then costs one
/// disk flush for many messages. A `MessageRejected` rolls back only its savepoint and that message is
/// dead-lettered after the commit; any other failure rolls back the batch and its messages are handled
/// one by one, as without batches.
extension QueueWorker {
    func runBatched(_ consumer: AMQPConsumer) async throws {
        let buffer = DeliveryBuffer()
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while let batch = await buffer.take(max: self.batchSize) { await self.processBatch(batch) }
                    }
                }
                for try await delivery in consumer {
                    if stopping.load(ordering: .relaxed) {
                        delivery.nack(requeue: true)
                        continue
                    }
                    await buffer.add(delivery)
                }
                await buffer.finish()
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .relaxed)
            Task { await consumer.cancel() }
        }
        logger.info("stopped consuming", metadata: ["queue": "\(queue)"])
    }

    enum Outcome { case handled, duplicate, rejected(String) }

    func processBatch(_ batch: [AMQPDelivery]) async {
        guard batch.allSatisfy({ !($0.properties.messageID ?? "").isEmpty && isFromAProducer($0) }) else {
            for delivery in batch { await process(delivery) }
            return
        }
        let handler = self.handler
        if let batchHandler = handler as? any BatchMessageHandler {
            return await processSetBased(batch, batchHandler)
        }
        guard batch.count > 1 else { return await process(batch[0]) }
        let consumerName = self.consumerName
        let logger = self.logger
        do {
            let outcomes = try await client.withTransaction(deadline: attemptTimeout, logger: logger) { connection -> [Outcome] in
                var outcomes: [Outcome] = []
                for delivery in batch {
                    let messageID = delivery.properties.messageID ?? ""
                    let message = IncomingMessage(
                        messageID: messageID, type: delivery.properties.type, body: delivery.body, properties: delivery.properties,
                        routingKey: delivery.routingKey, redelivered: delivery.redelivered)
                    try await connection.query("savepoint message", logger: logger)
                    do {
                        if try await Inbox.claim(messageID: messageID, type: message.type, consumer: consumerName, on: connection, logger: logger) {
                            try await handler.handle(message, connection: connection, logger: logger)
                            outcomes.append(.handled)
                        } else {
                            outcomes.append(.duplicate)
                        }
                        try await connection.query("release savepoint message", logger: logger)
                    } catch let rejection as MessageRejected {
                        try await connection.query("rollback to savepoint message", logger: logger)
                        outcomes.append(.rejected(rejection.reason))
                    }
                }
                return outcomes
            }
            if outcomes.contains(where: { if case .handled = $0 { true } else { false } }) {
                await Failpoint.beforeAck.hold(logger: logger, ["queue": "\(queue)", "count": "\(batch.count)"])
            }
            await settle(batch, outcomes)
        } catch {
            logger.notice("batch failed, handling its messages one by one", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            for delivery in batch { await process(delivery) }
        }
    }
}

extension QueueWorker {
    /// A batch through a `BatchMessageHandler`: the inbox claims all ids in one statement, the handler
    /// writes everything new with a few statements, the ids it refused are released again.
    func processSetBased(_ batch: [AMQPDelivery], _ handler: any BatchMessageHandler) async {
        let consumerName = self.consumerName
        let logger = self.logger
        do {
            let outcomes = try await client.withTransaction(deadline: attemptTimeout, logger: logger) { connection -> [Outcome] in
                let new = try await Inbox.claim(
                    batch: batch.map { ($0.properties.messageID ?? "", $0.properties.type) }, consumer: consumerName, on: connection, logger: logger)
                // A message id twice in one batch is handled once: its first delivery.
                var seen: Set<String> = []
                var fresh: [(index: Int, message: IncomingMessage)] = []
                for (index, delivery) in batch.enumerated() {
                    let id = delivery.properties.messageID ?? ""
                    guard new.contains(id), seen.insert(id).inserted else { continue }
                    fresh.append(
                        (index, IncomingMessage(
                            messageID: id, type: delivery.properties.type, body: delivery.body, properties: delivery.properties,
                            routingKey: delivery.routingKey, redelivered: delivery.redelivered)))
                }
                var outcomes = [Outcome](repeating: .duplicate, count: batch.count)
                let reasons = try await handler.handle(batch: fresh.map(\.message), connection: connection, logger: logger)
                var refused: [String] = []
                for (entry, reason) in zip(fresh, reasons) {
                    if let reason {
                        outcomes[entry.index] = .rejected(reason)
                        refused.append(entry.message.messageID)
                    } else {
                        outcomes[entry.index] = .handled
                    }
                }
                try await Inbox.release(refused, consumer: consumerName, on: connection, logger: logger)
                return outcomes
            }
            if outcomes.contains(where: { if case .handled = $0 { true } else { false } }) {
                await Failpoint.beforeAck.hold(logger: logger, ["queue": "\(queue)", "count": "\(batch.count)"])
            }
            await settle(batch, outcomes)
        } catch {
            logger.notice("batch failed, handling its messages one by one", metadata: ["count": "\(batch.count)", "error": "\(error)"])
            for delivery in batch { await process(delivery) }
        }
    }

    func settle(_ batch: [AMQPDelivery], _ outcomes: [Outcome]) async {
        for (delivery, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .handled:
                delivery.ack()
                handled.increment()
            case .duplicate:
                delivery.ack()
                duplicates.increment()
            case .rejected(let reason):
                await deadLetter(delivery, reason: reason)
            }
        }
    }
}

/// Deliveries waiting for a batch: added as they arrive, taken by whichever batch task is free.
actor DeliveryBuffer {
    private var items: [AMQPDelivery] = []
    private var waiting: [(max: Int, continuation: CheckedContinuation<[AMQPDelivery]?, Never>)] = []
    private var finished = false

    func add(_ delivery: AMQPDelivery) {
        items.append(delivery)
        if !waiting.isEmpty {
            let taker = waiting.removeFirst()
            let taken = Array(items.prefix(taker.max))
            items.removeFirst(taken.count)
            taker.continuation.resume(returning: taken)
        }
    }

    /// Up to `max` deliveries, waiting for the first; nil once finished and empty.
    func take(max: Int) async -> [AMQPDelivery]? {
        if !items.isEmpty {
            let taken = Array(items.prefix(max))
            items.removeFirst(taken.count)
            return taken
        }
        if finished { return nil }
        return await withCheckedContinuation { waiting.append((max, $0)) }
    }

    /// No more deliveries: what is left is still taken; then every taker gets nil. (A taker waits only
    /// while nothing is left, so those waiting now get nil at once.)
    func finish() {
        finished = true
        for taker in waiting { taker.continuation.resume(returning: nil) }
        waiting = []
    }
}
