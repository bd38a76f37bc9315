/// A delivery or returned message whose header and body frames are still arriving on a channel.
struct PartialContent {
    enum Origin {
        case delivery(tag: UInt64, redelivered: Bool, exchange: String, routingKey: String)
        case returned(code: Int, text: String)
    }
    var origin: Origin
    var properties = AMQPProperties()
    var bodySize: Int?
    var body: [UInt8] = []

    var isComplete: Bool { bodySize.map { body.count >= $0 } ?? false }
}
