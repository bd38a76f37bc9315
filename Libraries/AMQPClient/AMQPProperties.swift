import Foundation

/// The basic properties of a message (shared/CONTRACTS.md "Broker").
public struct AMQPProperties: Sendable, Equatable {
    public var messageID: String?
    public var type: String?
    public var contentType: String?
    public var contentEncoding: String?
    /// Seconds precision, as AMQP carries it.
    public var timestamp: Date?
    public var appID: String?
    /// Checked by RabbitMQ against the publishing user.
    public var userID: String?
    public var correlationID: String?
    public var replyTo: String?
    public var expiration: String?
    public var priority: UInt8?
    public var persistent: Bool
    /// String-valued headers; other header kinds arrive rendered as text.
    public var headers: [String: String]

    public init(
        messageID: String? = nil, type: String? = nil, contentType: String? = nil,
        contentEncoding: String? = nil, timestamp: Date? = nil, appID: String? = nil,
        userID: String? = nil, correlationID: String? = nil, replyTo: String? = nil,
        expiration: String? = nil, priority: UInt8? = nil, persistent: Bool = true,
        headers: [String: String] = [:]
    ) {
        self.messageID = messageID
        self.type = type
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.timestamp = timestamp
        self.appID = appID
        self.userID = userID
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.expiration = expiration
        self.priority = priority
        self.persistent = persistent
        self.headers = headers
    }
}
