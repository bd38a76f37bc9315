import AMQPClient

/// Calendar's queue for the directory events (people and units) it keeps a copy of.
enum CalendarTopology {
    static let topology = Topology(
        exchanges: [.init("ioffice.events")],
        queues: [.init("calendar.events")],
        bindings: [.init(queue: "calendar.events", exchange: "ioffice.events", routingKey: "directory.#")])
}
