import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Consumes `notify.requests`: each `notification-request.v1` becomes an in-app message for every
/// recipient and, when asked, an SMS for each with a phone (those without are recorded, not skipped).
/// A request seen before (same message id, or same request id) changes nothing.
struct RequestHandler: MessageHandler {
    /// How long a system SMS may wait for the gateway.
    var ttl = 3600
    /// Where SMS go: `ioffice.sms` with `sms.outbound` (the benchmark uses a queue of its own).
    var outbound = SmsRoute()

    /// One request, the way a batch is written (used when a batch had to be retried one by one).
    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        let request = try message.contract(NotificationRequestV1.self)
        try await NotificationBatch(requests: [request], ttl: ttl, outbound: outbound).write(on: connection, logger: logger)
    }
}

/// Many requests at once, with a few statements for the whole batch: what lets one Notify keep up
/// with thousands of requests a second (Benchmarks/README.md).
extension RequestHandler: BatchMessageHandler {
    func handle(batch: [IncomingMessage], connection: PostgresConnection, logger: Logger) async throws -> [String?] {
        var reasons: [String?] = []
        var requests: [NotificationRequestV1] = []
        for message in batch {
            do {
                requests.append(try message.contract(NotificationRequestV1.self))
                reasons.append(nil)
            } catch let rejected as MessageRejected {
                reasons.append(rejected.reason)
            }
        }
        try await NotificationBatch(requests: requests, ttl: ttl, outbound: outbound).write(on: connection, logger: logger)
        return reasons
    }
}

/// The exchange and routing key SMS are published with.
struct SmsRoute: Sendable {
    var exchange = Routes.smsExchange
    var routingKey = Routes.smsOutboundKey
}
