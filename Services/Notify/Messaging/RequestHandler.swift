import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Consumes `notify.requests`: each `notification-request.v1` becomes an in-app message for every
/// recipient and, when asked, an SMS for each with a phone (those without are recorded, not skipped).
/// A request seen before (same message id, or same request id) changes nothing.
struct RequestHandler: MessageHandler {
    /// How long a system SMS may wait for the gateway.
    var ttl = 3600
    /// Where SMS go (the benchmark uses a queue of its own).
    var outboundQueue = Routes.smsOutboundQueue

    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        let request = try message.contract(NotificationRequestV1.self)
        try await Self.deliver(request, ttl: ttl, outboundQueue: outboundQueue, on: connection, logger: logger)
    }

    static func deliver(
        _ request: NotificationRequestV1, ttl: Int, outboundQueue: String = Routes.smsOutboundQueue, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let title = VietnameseText.clean(request.title)
        let body = VietnameseText.nfc(request.body)
        let recipients = Array(Set(request.recipients)).sorted { $0.uuidString < $1.uuidString }
        if request.channels.contains(.inApp) {
            for user in recipients {
                if try await NotifyStore.addMessage(
                    to: user, request: request.requestId, title: title, body: body, link: request.link, on: connection, logger: logger) != nil
                {
                    try await InboxEvents.announce(user, on: connection, logger: logger)
                }
            }
        }
        if request.channels.contains(.sms) {
            let people = try await NotifyStore.people(recipients, on: connection, logger: logger)
            let text = SmsText.system(body.isEmpty ? title : "\(title): \(body)")
            let now = Date()
            for user in recipients {
                let phone = people[user].flatMap { $0.active ? $0.phone : nil }
                if let queued = try await NotifyStore.queueSms(
                    to: user, phone: phone, text: text, sender: nil, request: request.requestId, ttl: ttl, outboundQueue: outboundQueue,
                    at: now, on: connection, logger: logger), queued.state == .noPhone
                {
                    logger.notice("no phone for an SMS", metadata: ["user": "\(user)", "request": "\(request.requestId)"])
                }
            }
        }
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
        try await NotificationBatch(requests: requests, ttl: ttl, outboundQueue: outboundQueue).write(on: connection, logger: logger)
        return reasons
    }
}
