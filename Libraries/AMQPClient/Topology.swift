/// Exchanges, queues and bindings a client needs. Declared at connect and again after every reconnect.
public struct Topology: Sendable, Equatable {
    public var exchanges: [Exchange] = []
    public var queues: [Queue] = []
    public var bindings: [Binding] = []

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Its queue names, or its exchanges', for logs and readiness.
    var summary: String {
        let names = queues.map(\.name) + (queues.isEmpty ? exchanges.map(\.name) : [])
        return names.joined(separator: ", ")
    }

    public static func + (lhs: Topology, rhs: Topology) -> Topology {
        Topology(
            exchanges: lhs.exchanges + rhs.exchanges, queues: lhs.queues + rhs.queues,
            bindings: lhs.bindings + rhs.bindings)
    }

    /// A durable exchange.
    public struct Exchange: Sendable, Equatable {
        public var name: String
        public var kind: String
        public init(_ name: String, kind: String = "topic") {
            self.name = name
            self.kind = kind
        }
    }

    /// A durable queue. Quorum queues get a dead-letter queue `<name>.dlq` (also quorum) that takes
    /// what was rejected or redelivered more than `deliveryLimit` times, at-least-once.
    public struct Queue: Sendable, Equatable {
        public var name: String
        public var quorum: Bool
        public var deliveryLimit: Int
        public var deadLetterQueue: Bool

        public init(_ name: String, quorum: Bool = true, deliveryLimit: Int = 5, deadLetterQueue: Bool = true) {
            self.name = name
            self.quorum = quorum
            self.deliveryLimit = deliveryLimit
            self.deadLetterQueue = deadLetterQueue
        }

        /// The name of this queue's dead-letter queue.
        public var deadLetterName: String { name + ".dlq" }

        /// Arguments of the queue itself; they must equal what `deploy/add-partner` declares.
        var arguments: [(String, ArgumentValue)] {
            var args: [(String, ArgumentValue)] = []
            if quorum { args.append(("x-queue-type", .string("quorum"))) }
            if deadLetterQueue {
                args.append(("x-dead-letter-exchange", .string("")))
                args.append(("x-dead-letter-routing-key", .string(deadLetterName)))
                if quorum {
                    args.append(("x-dead-letter-strategy", .string("at-least-once")))
                    args.append(("x-overflow", .string("reject-publish")))
                    args.append(("x-delivery-limit", .int(Int64(deliveryLimit))))
                }
            }
            return args
        }

        var deadLetterArguments: [(String, ArgumentValue)] {
            quorum ? [("x-queue-type", .string("quorum"))] : []
        }
    }

    /// A queue bound to an exchange with a routing-key pattern.
    public struct Binding: Sendable, Equatable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public init(queue: String, exchange: String, routingKey: String) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
        }
    }

    enum ArgumentValue {
        case string(String)
        case int(Int64)
    }
}
