import AMQPClient
import Contracts

/// Signing takes verification requests on `signing.verify` and answers on `ioffice.events`.
enum SigningTopology {
    static let topology = Topology(
        exchanges: [.shared(Routes.eventsExchange), .shared(Routes.deadLetterExchange)],
        queues: [.init(Routes.signingVerifyQueue)], deadLetterExchange: Routes.deadLetterExchange)
}
