/// Exchanges, queues and bindings a client needs. Declared at connect and again after every reconnect.
public struct Topology: Sendable, Equatable {
    public var exchanges: [Exchange] = []
    public var queues: [Queue] = []
    public var bindings: [Binding] = []
    /// A topic exchange each dead-letter queue is bound to by its own name, so a consumer dead-letters
    /// through it and needs no right on the default exchange (which reaches every queue). Nil: none.
    public var deadLetterExchange: String?

    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = [], deadLetterExchange: String? = nil) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
        self.deadLetterExchange = deadLetterExchange
    }

    /// Its queue names, or its exchanges', for logs and readiness.
    var summary: String {
        let names = queues.map(\.name) + (queues.isEmpty ? exchanges.map(\.name) : [])
        return names.joined(separator: ", ")
    }

    public static func + (lhs: Topology, rhs: Topology) -> Topology {
        Topology(
            exchanges: lhs.exchanges + rhs.exchanges, queues: lhs.queues + rhs.queues,
            bindings: lhs.bindings + rhs.bindings, deadLetterExchange: lhs.deadLetterExchange ?? rhs.deadLetterExchange)
    }

    /// A durable exchange. A shared one (`passive`) is only checked to exist: the deployment declares it,
    /// and a service may not configure what other services use.
    public struct Exchange: Sendable, Equatable {
        public var name: String
        public var kind: String
        public var passive: Bool
        public init(_ name: String, kind: String = "topic", passive: Bool = false) {
            self.name = name
            self.kind = kind
            self.passive = passive
        }

        /// An exchange the deployment declares and services only use.
        public static func shared(_ name: String) -> Exchange { Exchange(name, passive: true) }
    }

    /// A durable queue. Quorum queues get a dead-letter queue `<name>.dlq` (also quorum) that takes
    /// what was rejected or redelivered more than `deliveryLimit` times, at-least-once. A queue fed by
    /// outsiders has `maxLengthBytes`: past it the broker refuses (nacks) new messages instead of
    /// growing (`reject-publish`).
    public struct Queue: Sendable, Equatable {
        public var name: String
        public var quorum: Bool
        public var deliveryLimit: Int
        public var deadLetterQueue: Bool
        public var maxLengthBytes: Int64?

        public init(_ name: String, quorum: Bool = true, deliveryLimit: Int = 5, deadLetterQueue: Bool = true, maxLengthBytes: Int64? = nil) {
            self.name = name
            self.quorum = quorum
            self.deliveryLimit = deliveryLimit
            self.deadLetterQueue = deadLetterQueue
            self.maxLengthBytes = maxLengthBytes
        }

        /// The name of this queue's dead-letter queue.
        public var deadLetterName: String { name + ".dlq" }

        /// Arguments of the queue itself; they must equal what `deploy/add-partner` declares. The broker
        /// dead-letters through `deadLetterExchange` ("" is the default exchange), and the declaring user
        /// needs the right to write there.
        func arguments(deadLetterExchange: String) -> [(String, ArgumentValue)] {
            var args: [(String, ArgumentValue)] = []
            if quorum { args.append(("x-queue-type", .string("quorum"))) }
            if deadLetterQueue {
                args.append(("x-dead-letter-exchange", .string(deadLetterExchange)))
                args.append(("x-dead-letter-routing-key", .string(deadLetterName)))
                if quorum {
                    args.append(("x-dead-letter-strategy", .string("at-least-once")))
                    args.append(("x-overflow", .string("reject-publish")))
                    args.append(("x-delivery-limit", .int(Int64(deliveryLimit))))
                }
            }
            if let maxLengthBytes {
                args.append(("x-max-length-bytes", .int(maxLengthBytes)))
                if !(deadLetterQueue && quorum) { args.append(("x-overflow", .string("reject-publish"))) }
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
