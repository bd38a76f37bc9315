import AMQPClient
import Contracts

/// Calendar's queue for the directory events (people and units) it keeps a copy of.
enum CalendarTopology {
    static let eventsQueue = "calendar.events"

    static let topology = Topology(
        exchanges: [.shared(Routes.eventsExchange), .shared(Routes.deadLetterExchange)],
        queues: [.init(eventsQueue)],
        bindings: [.init(queue: eventsQueue, exchange: Routes.eventsExchange, routingKey: "directory.#")],
        deadLetterExchange: Routes.deadLetterExchange)
}
