import Foundation

/// The AMQP properties every message carries (shared/CONTRACTS.md "Broker").
public struct MessageMetadata: Sendable, Equatable {
    /// UUID, the idempotency key.
    public var messageId: UUID
    /// E.g. `document.v1`.
    public var type: String
    public var contentType: String
    public var timestamp: Date
    /// The publishing service or party.
    public var appId: String
    /// The publisher's broker user, checked by RabbitMQ; for an agency, its code.
    public var userId: String
    /// W3C trace context, when known.
    public var traceparent: String?

    public static let jsonContentType = "application/json"

    public init(
        messageId: UUID = UUID(), type: String, contentType: String = MessageMetadata.jsonContentType,
        timestamp: Date = Date(), appId: String, userId: String, traceparent: String? = nil
    ) {
        self.messageId = messageId
        self.type = type
        self.contentType = contentType
        self.timestamp = timestamp
        self.appId = appId
        self.userId = userId
        self.traceparent = traceparent
    }
}
