import AMQPClient
import Contracts

/// Notify's exchanges and queues: SMS out to the gateway (same arguments as `deploy/add-partner
/// sms-gateway` declares), delivery reports back, and notification requests from other services.
enum NotifyTopology {
    static let reportsQueue = "notify.sms.reports"
    static let requestsQueue = "notify.requests"

    static let topology = Topology(
        exchanges: [.init(Routes.smsExchange), .init(Routes.eventsExchange)],
        queues: [.init(Routes.smsOutboundQueue), .init(reportsQueue), .init(requestsQueue)],
        bindings: [
            .init(queue: reportsQueue, exchange: Routes.smsExchange, routingKey: Routes.smsReportKey),
            .init(queue: requestsQueue, exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey),
        ])
}
