import Logging
import Synchronization

/// A connection to RabbitMQ that survives broker restarts.
///
/// It reconnects with back-off after the broker or the network goes away, declares again every topology
/// given to `declare`, and re-attaches every consumer. Publishes return only once the broker confirms
/// them, and many may be in flight at once. RabbitMQ advises separate connections for publishing and
/// consuming, so that flow control on publishers never stalls deliveries.
public final class AMQPConnection: Sendable {
    let engine: ConnectionEngine
    private let nextConsumerID = Atomic<UInt64>(1)

    /// Starts connecting in the background; see `waitUntilConnected`.
    public init(configuration: AMQPConfiguration, logger: Logger = Logger(label: "amqp")) {
        engine = ConnectionEngine(configuration: configuration, logger: logger)
        engine.start()
    }

    public var configuration: AMQPConfiguration { engine.configuration }

    /// Whether the connection is up right now (for readiness checks).
    public var isConnected: Bool { engine.connected.load(ordering: .acquiring) }

    /// Topologies the broker refused to declare and consumers it refused to re-attach on the current
    /// connection, each retried with back-off; empty when all is attached.
    public var problems: [String] { engine.problems.withLock { $0 } }

    /// How many times the connection has been (re-)established.
    public var connectCount: Int { engine.connectCount.load(ordering: .relaxed) }

    /// Waits until connected, or throws `notConnected` after `timeout`.
    public func waitUntilConnected(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !isConnected {
            guard ContinuousClock.now < deadline else { throw AMQPError.notConnected }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Publishes one message and returns when the broker has confirmed it.
    /// Throws `unroutable` when `mandatory` and no queue took it, `nacked`, `channelClosed` (e.g. access
    /// refused), `notConnected` or `connectionLost`; the last two are worth a retry.
    public func publish(
        _ body: some Collection<UInt8>, exchange: String, routingKey: String,
        properties: AMQPProperties = AMQPProperties(), mandatory: Bool = true
    ) async throws {
        let message = OutgoingMessage(
            exchange: exchange, routingKey: routingKey, body: Array(body), properties: properties, mandatory: mandatory)
        try await withCheckedThrowingContinuation { continuation in
            engine.mailbox.send(.publish(message, continuation))
        }
    }

    /// Publishes messages in order, all in flight at once; answers each one's outcome (`nil`: confirmed).
    public func publish(batch messages: [OutgoingMessage]) async -> [AMQPError?] {
        await withCheckedContinuation { continuation in
            engine.mailbox.send(.publishBatch(messages, continuation))
        }
    }

    /// Returns once every ack given on this connection's deliveries so far is written to the socket
    /// (acks are otherwise gathered into `multiple` acks and sent when the connection's thread next turns).
    public func flushAcks() async {
        await withCheckedContinuation { continuation in
            engine.mailbox.send(.flushAcks(continuation))
        }
    }

    /// Declares exchanges, queues (with their dead-letter queues) and bindings, now and after every reconnect.
    /// While disconnected it is only recorded, and declared at the next connect.
    public func declare(_ topology: Topology) async throws {
        try await withCheckedThrowingContinuation { continuation in
            engine.mailbox.send(.rpc(.declare(topology, continuation)))
        }
    }

    /// A queue's depth and consumer count (passive declare).
    public func queueStatus(_ queue: String) async throws -> QueueStatus {
        try await withCheckedThrowingContinuation { continuation in
            engine.mailbox.send(.rpc(.queueStatus(queue, continuation)))
        }
    }

    /// Deletes a queue (tests and tools).
    public func deleteQueue(_ queue: String) async throws {
        try await withCheckedThrowingContinuation { continuation in
            engine.mailbox.send(.rpc(.deleteQueue(queue, continuation)))
        }
    }

    /// Removes every ready message of a queue; returns how many.
    @discardableResult
    public func purgeQueue(_ queue: String) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            engine.mailbox.send(.rpc(.purgeQueue(queue, continuation)))
        }
    }

    /// Starts consuming `queue` with manual acks and at most `prefetch` unacked messages.
    /// Throws at once if the broker refuses (e.g. 403, 404) while connected; the consumer survives reconnects.
    public func consume(queue: String, prefetch: UInt16 = 64) async throws -> AMQPConsumer {
        let id = nextConsumerID.add(1, ordering: .relaxed).oldValue
        let buffer = DeliveryBuffer()
        let registration = ConsumerRegistration(id: id, queue: queue, prefetch: prefetch, buffer: buffer)
        try await withCheckedThrowingContinuation { (result: CheckedContinuation<Void, any Error>) in
            engine.mailbox.send(.consume(registration, result))
        }
        return AMQPConsumer(id: id, buffer: buffer, mailbox: engine.mailbox)
    }

    /// Closes the connection after giving in-flight publishes up to five seconds to be confirmed.
    public func close() async {
        await withCheckedContinuation { continuation in
            engine.mailbox.send(.shutdown(continuation))
        }
    }
}

/// The deliveries of one consumer, in order, for one reading task. Ends after `cancel()` once buffered
/// deliveries are read, or with an error if the broker cancels the consumer or closes its channel.
public struct AMQPConsumer: AsyncSequence, Sendable {
    public typealias Element = AMQPDelivery
    let id: UInt64
    let buffer: DeliveryBuffer
    let mailbox: Mailbox

    public func makeAsyncIterator() -> Iterator { Iterator(buffer: buffer) }

    public struct Iterator: AsyncIteratorProtocol {
        let buffer: DeliveryBuffer
        public mutating func next() async throws -> AMQPDelivery? { try await buffer.next() }
    }

    /// Stops deliveries (basic.cancel). Those received but not yet read go back to the queue, and the
    /// sequence ends; those already read may still be settled, after which the channel is closed.
    public func cancel() async {
        await withCheckedContinuation { continuation in
            mailbox.send(.cancel(consumerID: id, continuation))
        }
    }
}
