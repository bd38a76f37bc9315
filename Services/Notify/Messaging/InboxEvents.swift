import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Live inbox updates. A new message announces its recipient with PostgreSQL's NOTIFY, which is sent
/// only when the transaction commits (and reaches every Notify process); one LISTEN connection per
/// process passes it on to that user's open event streams.
actor InboxEvents: Service {
    static let channel = "notify_inbox"

    let client: PostgresClient
    let logger: Logger
    private var streams: [UUID: [UUID: AsyncStream<Void>.Continuation]] = [:]

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static func announce(_ user: UUID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("select pg_notify(\(channel), \(user.uuidString.lowercased()))", logger: logger)
    }

    /// A stream that yields whenever `user` gets a message, until the caller stops reading.
    func subscribe(_ user: UUID) -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        streams[user, default: [:]][id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.remove(user, id) } }
        return stream
    }

    private func remove(_ user: UUID, _ id: UUID) {
        streams[user]?[id] = nil
        if streams[user]?.isEmpty == true { streams[user] = nil }
    }

    private func deliver(_ payload: String) {
        guard let user = UUID(uuidString: payload) else { return }
        for continuation in streams[user]?.values ?? [:].values { continuation.yield() }
    }

    func run() async throws {
        // Reconnects after a lost connection; ends with the service.
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.channel) { notifications in
                        for try await notification in notifications { await self.deliver(notification.payload) }
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("inbox listener lost its connection", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
