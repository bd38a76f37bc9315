import AMQPClient

/// Signing takes verification requests on `signing.verify` and answers on `ioffice.events`.
enum SigningTopology {
    static let topology = Topology(
        exchanges: [.init("ioffice.events")],
        queues: [.init("signing.verify")])
}
