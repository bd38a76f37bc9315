import AMQPClient
import Contracts
import Foundation
import Logging
import PostgresNIO

/// A delivered message as a handler sees it.
public struct IncomingMessage: Sendable {
    public var messageID: String
    public var type: String?
    public var body: [UInt8]
    public var properties: AMQPProperties
    public var routingKey: String
    public var redelivered: Bool

    public init(
        messageID: String, type: String?, body: [UInt8], properties: AMQPProperties, routingKey: String,
        redelivered: Bool
    ) {
        self.messageID = messageID
        self.type = type
        self.body = body
        self.properties = properties
        self.routingKey = routingKey
        self.redelivered = redelivered
    }
}

/// Handles the messages of one queue. `handle` runs inside the transaction that records the message id
/// in the inbox: write data and outbox rows on `connection`, and all of it commits, or none.
public protocol MessageHandler: Sendable {
    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws
}

/// A message that can never succeed (malformed, invalid, not ours): it goes to the queue's dead-letter
/// queue with `reason` in the `x-ioffice-error` header, and the consumer moves on.
public struct MessageRejected: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// A handler that can take many messages in one go with set-based SQL (a few statements per batch
/// instead of a few per message). The worker has already removed duplicates; the handler answers,
/// per message and in order, nil when handled or the reason it is rejected, and must have written
/// nothing for a rejected one.
public protocol BatchMessageHandler: MessageHandler {
    func handle(batch: [IncomingMessage], connection: PostgresConnection, logger: Logger) async throws -> [String?]
}

extension IncomingMessage {
    /// The body as the contract message `T`; a message of another type, or one that does not decode,
    /// is a `MessageRejected` saying which, for the dead-letter queue.
    public func contract<T: ContractMessage>(_ type: T.Type) throws -> T {
        guard self.type == T.messageType else {
            throw MessageRejected("loại thông điệp không được hỗ trợ (unsupported type \(self.type ?? "none"))")
        }
        let message: T
        do {
            message = try T.decode(body)
        } catch {
            throw MessageRejected("\(error)")
        }
        let problems = message.violations(now: Date())
        guard problems.isEmpty else { throw MessageRejected(problems.map(\.message).joined(separator: " ")) }
        return message
    }
}

/// A handler whose expensive part needs no database (verifying a signature): the worker runs
/// `prepare` before it opens the transaction, so no connection or row lock is held meanwhile, then
/// `handle(_:prepared:…)` inside it. `MessageRejected` from `prepare` dead-letters the message as usual.
public protocol PreparingMessageHandler: MessageHandler {
    associatedtype Prepared: Sendable
    func prepare(_ message: IncomingMessage, logger: Logger) async throws -> Prepared
    func handle(_ message: IncomingMessage, prepared: Prepared, connection: PostgresConnection, logger: Logger) async throws
}

extension PreparingMessageHandler {
    public func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        try await handle(message, prepared: try await prepare(message, logger: logger), connection: connection, logger: logger)
    }

    /// Prepares now; the returned step does the rest inside the transaction.
    func prepared(_ message: IncomingMessage, logger: Logger) async throws -> @Sendable (PostgresConnection) async throws -> Void {
        let prepared = try await prepare(message, logger: logger)
        return { connection in try await self.handle(message, prepared: prepared, connection: connection, logger: logger) }
    }
}
