import AMQPClient

/// Notify's exchanges and queues: SMS out to the gateway (same arguments as `deploy/add-partner
/// sms-gateway` declares), delivery reports back, and notification requests from other services.
enum NotifyTopology {
    static let topology = Topology(
        exchanges: [.init("ioffice.sms"), .init("ioffice.events")],
        queues: [.init("notify.sms.outbound"), .init("notify.sms.reports"), .init("notify.requests")],
        bindings: [
            .init(queue: "notify.sms.reports", exchange: "ioffice.sms", routingKey: "sms.report"),
            .init(queue: "notify.requests", exchange: "ioffice.events", routingKey: "notification.requested"),
        ])
}
