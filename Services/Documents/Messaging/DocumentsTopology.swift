import AMQPClient
import Contracts

/// The exchanges and queues Documents owns. The inbound queue takes other agencies' documents,
/// statuses and recalls addressed to our code; it fills durably until its consumer runs.
enum DocumentsTopology {
    static let eventsQueue = "documents.events"

    static func make(agencyCode: String) -> Topology {
        let inbound = Routes.inboundQueue(of: agencyCode)
        return Topology(
            exchanges: [.init(Routes.interAgencyExchange), .init(Routes.eventsExchange)],
            queues: [.init(inbound), .init(eventsQueue)],
            bindings: [
                .init(queue: inbound, exchange: Routes.interAgencyExchange, routingKey: Routes.inboundBinding(of: agencyCode)),
                .init(queue: eventsQueue, exchange: Routes.eventsExchange, routingKey: Routes.signingVerifiedKey),
            ])
    }
}
