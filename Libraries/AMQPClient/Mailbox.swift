import Foundation
import Synchronization

/// Work handed from any task to a connection's thread.
enum Command {
    case publish(OutgoingMessage, CheckedContinuation<Void, any Error>)
    case publishBatch([OutgoingMessage], CheckedContinuation<[AMQPError?], Never>)
    case settle(Settlement)
    case rpc(RPCOperation)
    case consume(ConsumerRegistration, CheckedContinuation<Void, any Error>?)
    case cancel(consumerID: UInt64, CheckedContinuation<Void, Never>)
    /// Answered once the acks queued before it are written to the socket.
    case flushAcks(CheckedContinuation<Void, Never>)
    case shutdown(CheckedContinuation<Void, Never>)

    /// Answers the waiting caller with `error`; used when the command cannot run.
    func fail(_ error: AMQPError) {
        switch self {
        case .publish(_, let continuation): continuation.resume(throwing: error)
        case .publishBatch(let messages, let continuation):
            continuation.resume(returning: Array(repeating: error, count: messages.count))
        case .settle: break  // the broker redelivers what was not acked
        case .rpc(let operation): operation.fail(error)
        case .consume(let registration, let continuation):
            registration.buffer.finish(throwing: error)
            continuation?.resume(throwing: error)
        case .cancel(_, let continuation): continuation.resume()
        case .flushAcks(let continuation): continuation.resume()
        case .shutdown(let continuation): continuation.resume()
        }
    }
}

/// A message to publish.
public struct OutgoingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var properties: AMQPProperties
    public var mandatory: Bool

    public init(exchange: String, routingKey: String, body: [UInt8], properties: AMQPProperties, mandatory: Bool = true) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.properties = properties
        self.mandatory = mandatory
    }
}

/// An ack or nack of one delivery, valid only on the connection generation that delivered it.
struct Settlement: Sendable {
    enum Kind: Sendable { case ack, nack(requeue: Bool) }
    var generation: UInt64
    var channel: UInt16
    var deliveryTag: UInt64
    var kind: Kind
}

/// Synchronous broker calls, answered through their continuation.
enum RPCOperation {
    case declare(Topology, CheckedContinuation<Void, any Error>)
    case queueStatus(String, CheckedContinuation<QueueStatus, any Error>)
    case deleteQueue(String, CheckedContinuation<Void, any Error>)
    case purgeQueue(String, CheckedContinuation<Int, any Error>)

    func fail(_ error: AMQPError) {
        switch self {
        case .declare(_, let c): c.resume(throwing: error)
        case .queueStatus(_, let c): c.resume(throwing: error)
        case .deleteQueue(_, let c): c.resume(throwing: error)
        case .purgeQueue(_, let c): c.resume(throwing: error)
        }
    }
}

/// A consumer as the connection keeps it across reconnects.
struct ConsumerRegistration: Sendable {
    var id: UInt64
    var queue: String
    var prefetch: UInt16
    var buffer: DeliveryBuffer
}

/// The only state shared between callers and the connection thread.
/// The thread sleeps in poll(2) on the socket and a wake pipe; `sleeping` says whether a writer must wake it.
final class Mailbox: Sendable {
    private struct State {
        var commands: [Command] = []
        var sleeping = false
        var closed = false
        /// Settlements queued without waking the thread.
        var lazySettlements = 0
    }
    /// Queued settlements that wake the thread even though their reader is still busy.
    static let settlementBatch = 64
    private let state = Mutex(State())
    let wakeReadFD: Int32
    private let wakeWriteFD: Int32

    init() {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0, "pipe(2) failed")
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        close(wakeReadFD)
        close(wakeWriteFD)
    }

    /// Queues a command for the thread, or fails it at once after shutdown.
    func send(_ command: Command) {
        let (accepted, wake) = state.withLock { state -> (Bool, Bool) in
            if state.closed { return (false, false) }
            state.commands.append(command)
            defer { state.sleeping = false }
            return (true, state.sleeping)
        }
        if !accepted { return command.fail(.shutdown) }
        if wake { wakeThread() }
    }

    /// Queues an ack or nack without waking the thread unless a batch has gathered: the thread takes
    /// them whenever it wakes for broker data, and polls every few milliseconds while deliveries are
    /// unsettled, so acks travel in `multiple` batches without a wake-up per message.
    func sendSettlement(_ settlement: Settlement) {
        let wake = state.withLock { state -> Bool in
            if state.closed { return false }
            state.commands.append(.settle(settlement))
            state.lazySettlements += 1
            guard state.sleeping, state.lazySettlements >= Self.settlementBatch else { return false }
            state.sleeping = false
            state.lazySettlements = 0
            return true
        }
        if wake { wakeThread() }
    }

    private func wakeThread() {
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)
    }

    /// Takes every queued command.
    func takeAll() -> [Command] {
        state.withLock { state in
            state.lazySettlements = 0
            defer { state.commands.removeAll(keepingCapacity: true) }
            return state.commands
        }
    }

    /// Marks the thread asleep unless work is already waiting; returns whether it may sleep.
    func prepareToSleep() -> Bool {
        state.withLock { state in
            if !state.commands.isEmpty { return false }
            state.sleeping = true
            return true
        }
    }

    func awoke() {
        state.withLock { $0.sleeping = false }
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeReadFD, &buffer, buffer.count) > 0 {}
    }

    /// Refuses new commands and returns those still queued.
    func refuseNewCommands() -> [Command] {
        state.withLock { state in
            state.closed = true
            defer { state.commands.removeAll() }
            return state.commands
        }
    }
}
