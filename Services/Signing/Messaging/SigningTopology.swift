import AMQPClient
import Contracts

/// Signing takes verification requests on `signing.verify` and answers on `ioffice.events`.
enum SigningTopology {
    static let topology = Topology(
        exchanges: [.init(Routes.eventsExchange)],
        queues: [.init(Routes.signingVerifyQueue)])
}
