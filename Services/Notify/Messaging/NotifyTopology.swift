import AMQPClient
import Contracts

/// Notify's exchanges and queues: SMS out to the gateway (same arguments as `deploy/add-partner
/// sms-gateway` declares), delivery reports back, notification requests from other services, and the
/// directory events it keeps its copy of people from.
enum NotifyTopology {
    static let reportsQueue = "notify.sms.reports"
    static let requestsQueue = "notify.requests"
    static let directoryQueue = "notify.directory"

    static let topology = Topology(
        exchanges: [.shared(Routes.smsExchange), .shared(Routes.eventsExchange), .shared(Routes.deadLetterExchange)],
        queues: [.init(Routes.smsOutboundQueue), .init(reportsQueue), .init(requestsQueue), .init(directoryQueue)],
        bindings: [
            .init(queue: Routes.smsOutboundQueue, exchange: Routes.smsExchange, routingKey: Routes.smsOutboundKey),
            .init(queue: reportsQueue, exchange: Routes.smsExchange, routingKey: Routes.smsReportKey),
            .init(queue: requestsQueue, exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey),
            .init(queue: directoryQueue, exchange: Routes.eventsExchange, routingKey: "directory.#"),
        ],
        deadLetterExchange: Routes.deadLetterExchange)
}
