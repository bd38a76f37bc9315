import AMQPClient
import Contracts

/// The exchanges and queues Documents owns. The inbound queue takes other agencies' documents,
/// statuses and recalls addressed to our code; it fills durably until its consumer runs.
enum DocumentsTopology {
    static let eventsQueue = "documents.events"
    /// Partners write to the inbound queue: past 2 GiB waiting, the broker refuses (nacks) their new
    /// messages instead of filling our disk. `deploy/add-partner` bounds partners' queues the same way.
    static let inboundMaxBytes: Int64 = 2 << 30

    static func make(agencyCode: String) -> Topology {
        let inbound = Routes.inboundQueue(of: agencyCode)
        return Topology(
            exchanges: [.shared(Routes.interAgencyExchange), .shared(Routes.eventsExchange), .shared(Routes.deadLetterExchange)],
            queues: [.init(inbound, maxLengthBytes: inboundMaxBytes), .init(eventsQueue)],
            bindings: [
                .init(queue: inbound, exchange: Routes.interAgencyExchange, routingKey: Routes.inboundBinding(of: agencyCode)),
                .init(queue: eventsQueue, exchange: Routes.eventsExchange, routingKey: Routes.signingVerifiedKey),
            ],
            deadLetterExchange: Routes.deadLetterExchange)
    }
}
