import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// SMS the gateway did not take within their time to live become `expired`, once a minute.
struct ExpiryWatch: Service {
    let client: PostgresClient
    let logger: Logger
    var every: Duration = .seconds(60)

    func run() async throws {
        while !Task.isCancelled {
            do {
                let expired = try await client.withConnection { try await NotifyStore.expire(at: Date(), on: $0, logger: logger) }
                if expired > 0 { logger.notice("sms expired unsent", metadata: ["count": "\(expired)"]) }
            } catch {
                logger.warning("sms expiry check failed", metadata: ["error": "\(error)"])
            }
            // A graceful shutdown ends the wait, and with it the service.
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
        }
    }
}
