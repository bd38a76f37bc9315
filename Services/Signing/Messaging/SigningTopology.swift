import AMQPClient
import Contracts

/// Signing takes verification requests on `signing.verify` (bound to `ioffice.events`, key
/// `signing.verify`) and answers on `ioffice.events`.
enum SigningTopology {
    static let topology = Topology(
        exchanges: [.shared(Routes.eventsExchange), .shared(Routes.deadLetterExchange)],
        queues: [.init(Routes.signingVerifyQueue)],
        bindings: [.init(queue: Routes.signingVerifyQueue, exchange: Routes.eventsExchange, routingKey: Routes.signingVerifyKey)],
        deadLetterExchange: Routes.deadLetterExchange)
}
