import AMQPClient

/// The exchanges and queues Documents owns. The inbound queue takes other agencies' documents,
/// statuses and recalls addressed to our code; it fills durably until its consumer runs.
enum DocumentsTopology {
    static func inboundQueue(agencyCode: String) -> String { "documents.inbound.\(agencyCode)" }

    static func make(agencyCode: String) -> Topology {
        let inbound = inboundQueue(agencyCode: agencyCode)
        return Topology(
            exchanges: [.init("ioffice.exchange"), .init("ioffice.events")],
            queues: [.init(inbound), .init("documents.events")],
            bindings: [
                .init(queue: inbound, exchange: "ioffice.exchange", routingKey: "*.\(agencyCode)"),
                .init(queue: "documents.events", exchange: "ioffice.events", routingKey: "signing.verified"),
            ])
    }
}
