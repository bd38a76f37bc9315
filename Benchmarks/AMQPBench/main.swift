import AMQPClient
import Foundation
import Synchronization

// Same arguments and output as Benchmarks/c/amqp_bench.c, so the two are measured alike:
//   AMQPBench <publish|consume> <amqp-url> <queue> <count> <window>
// publish: 1 KB persistent messages to the default exchange, `window` confirms in flight.
// consume: prefetch `window`, ack each message (the client gathers them into `multiple` acks); timed
//          until the last ack is written.

let arguments = CommandLine.arguments
guard arguments.count == 6, let count = Int(arguments[4]), let window = Int(arguments[5]), count > 0, window > 0 else {
    FileHandle.standardError.write(Data("usage: AMQPBench <publish|consume> <amqp-url> <queue> <count> <window>\n".utf8))
    exit(2)
}
let (mode, url, queue) = (arguments[1], arguments[2], arguments[3])

let connection = AMQPConnection(configuration: try AMQPConfiguration(url: url, connectionName: "bench-\(mode)"))
try await connection.waitUntilConnected(timeout: .seconds(10))

let clock = ContinuousClock()
let elapsed: Duration
switch mode {
case "publish":
    let body = [UInt8](repeating: UInt8(ascii: "x"), count: 1024)
    let remaining = Counter(count)
    elapsed = try await clock.measure {
        // `window` tasks each publish and await their own confirm: at most `window` unconfirmed.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<window {
                group.addTask {
                    while remaining.take() {
                        try await connection.publish(
                            body, exchange: "", routingKey: queue,
                            properties: AMQPProperties(messageID: UUID().uuidString, contentType: "application/json"))
                    }
                }
            }
            try await group.waitForAll()
        }
    }
case "consume":
    let start = clock.now
    let consumer = try await connection.consume(queue: queue, prefetch: UInt16(window))
    var received = 0
    for try await delivery in consumer {
        delivery.ack()
        received += 1
        if received == count { break }
    }
    await connection.flushAcks()  // the clock stops once the last ack is written, as in the C program
    elapsed = clock.now - start
    await consumer.cancel()
default:
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(2)
}
await connection.close()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("msgs_per_s: \(Int(Double(count) / seconds))")
print("count: \(count)")

/// Hands out the remaining message budget to the publishing tasks.
final class Counter: Sendable {
    private let value: Mutex<Int>
    init(_ value: Int) { self.value = Mutex(value) }
    func take() -> Bool {
        value.withLock { value in
            guard value > 0 else { return false }
            value -= 1
            return true
        }
    }
}
