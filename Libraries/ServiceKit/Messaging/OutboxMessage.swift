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

    /// With `expiresAt`, the relay publishes the message with the AMQP `expiration` left until then (zero
    /// once past), so the broker never delivers it stale; the moment travels in a header.
    public init(
        messageID: UUID = UUID(), type: String, exchange: String, routingKey: String, body: [UInt8],
        headers: [String: String] = [:], expiresAt: Date? = nil
    ) {
        self.messageID = messageID
        self.type = type
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.headers = headers
        if let expiresAt { self.headers[Self.expiresAtHeader] = ISO8601DateFormatter().string(from: expiresAt) }
    }

    public static let expiresAtHeader = "x-ioffice-expires-at"

    /// The AMQP `expiration` (milliseconds, as text) for a message that expires at `expiresAt`, sent at `now`.
    static func expiration(headers: [String: String], now: Date) -> String? {
        guard let text = headers[expiresAtHeader], let expiresAt = ISO8601DateFormatter().date(from: text) else { return nil }
        let milliseconds = (expiresAt.timeIntervalSince(now) * 1000).rounded(.up)
        return String(Int64(min(max(milliseconds, 0), 86_400_000 * 365)))
    }
}
