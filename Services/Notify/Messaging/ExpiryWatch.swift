import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// SMS the gateway did not take within their time to live become `expired`, once a minute.
struct ExpiryWatch: Service {
    let client: PostgresClient
    let logger: Logger
    var every: Duration = .seconds(60)

    func run() async throws {
        try await repeatEvery(every, what: "sms expiry check", logger: logger) {
            let expired = try await client.withConnection { try await NotifyStore.expire(at: Date(), on: $0, logger: logger) }
            if expired > 0 { logger.notice("sms expired unsent", metadata: ["count": "\(expired)"]) }
        }
    }
}
