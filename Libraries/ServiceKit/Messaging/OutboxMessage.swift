import Foundation

/// An event to publish once the transaction that wrote it commits.
public struct OutboxMessage: Sendable, Equatable {
    /// The AMQP `message_id`: consumers use it to ignore a second delivery.
    public var messageID: UUID
    /// The AMQP `type`, e.g. `status.v1`.
    public var type: String
    public var exchange: String
    public var routingKey: String
    /// UTF-8 JSON.
    public var body: [UInt8]
    public var headers: [String: String]

    public init(
        messageID: UUID = UUID(), type: String, exchange: String, routingKey: String, body: [UInt8],
        headers: [String: String] = [:]
    ) {
        self.messageID = messageID
        self.type = type
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.headers = headers
    }
}
