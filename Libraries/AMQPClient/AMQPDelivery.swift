/// A message delivered to a consumer. Settle it exactly once with `ack()` or `nack(requeue:)`;
/// until then the broker holds it, and redelivers it if the connection drops.
public struct AMQPDelivery: Sendable {
    public let body: [UInt8]
    public let properties: AMQPProperties
    public let exchange: String
    public let routingKey: String
    /// The broker delivered it before (to this or another consumer) without an ack.
    public let redelivered: Bool
    public let deliveryTag: UInt64
    /// How many times a quorum queue has delivered it before (`x-delivery-count`), when known.
    public var deliveryCount: Int { properties.headers["x-delivery-count"].flatMap(Int.init) ?? 0 }

    let channel: UInt16
    let generation: UInt64
    let mailbox: Mailbox

    /// Acknowledges the message: the broker forgets it.
    public func ack() {
        mailbox.sendSettlement(Settlement(generation: generation, channel: channel, deliveryTag: deliveryTag, kind: .ack))
    }

    /// Rejects the message: back to the queue, or (requeue false) to its dead-letter queue.
    public func nack(requeue: Bool) {
        mailbox.sendSettlement(
            Settlement(generation: generation, channel: channel, deliveryTag: deliveryTag, kind: .nack(requeue: requeue)))
    }
}

/// A queue's depth and consumers, from a passive declare.
public struct QueueStatus: Sendable, Equatable {
    public var messageCount: Int
    public var consumerCount: Int
}
