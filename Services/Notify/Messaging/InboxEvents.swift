import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// What a user's open event streams hear about.
enum LiveEvent: Sendable, Equatable {
    /// A new in-app message.
    case inbox
    /// A new chat message in this conversation.
    case chat(UUID)
    /// A new urgent notice, for everyone.
    case urgent
}

/// Live updates. A new message announces its recipient with PostgreSQL's NOTIFY, which is sent only
/// when the transaction commits (and reaches every Notify process); one LISTEN connection per process
/// passes it on to that user's open event streams.
actor InboxEvents: Service {
    static let channel = "notify_inbox"

    let client: PostgresClient
    let logger: Logger
    private var streams: [UUID: [UUID: AsyncStream<LiveEvent>.Continuation]] = [:]

    init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// A new urgent notice, for everyone's streams (`*` in the payload).
    static func announceUrgent(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("select pg_notify(\(channel), '*:urgent')", logger: logger)
    }

    static func announce(_ user: UUID, _ event: LiveEvent = .inbox, on connection: PostgresConnection, logger: Logger) async throws {
        var payload = user.uuidString.lowercased()
        if case .chat(let conversation) = event { payload += ":chat:" + conversation.uuidString.lowercased() }
        try await connection.query("select pg_notify(\(channel), \(payload))", logger: logger)
    }

    /// Open streams a person may hold (a few tabs and a phone), and the process in all: each holds a
    /// connection and memory for hours, so neither one user nor many may open them without end.
    static let perUser = 8
    static let total = 4_000

    /// A stream of what happens to `user`, until the caller stops reading; nil when `user` already holds
    /// `perUser` streams or the process `total`.
    func subscribe(_ user: UUID) -> AsyncStream<LiveEvent>? {
        guard streams[user, default: [:]].count < Self.perUser, streams.values.reduce(0, { $0 + $1.count }) < Self.total else {
            return nil
        }
        let (stream, continuation) = AsyncStream<LiveEvent>.makeStream(bufferingPolicy: .bufferingNewest(16))
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
        if payload == "*:urgent" {
            for continuation in streams.values.flatMap(\.values) { continuation.yield(.urgent) }
            return
        }
        let parts = payload.split(separator: ":")
        guard let first = parts.first, let user = UUID(uuidString: String(first)) else { return }
        let event: LiveEvent = parts.count == 3 ? UUID(uuidString: String(parts[2])).map(LiveEvent.chat) ?? .inbox : .inbox
        for continuation in streams[user]?.values ?? [:].values { continuation.yield(event) }
    }

    func run() async throws {
        // A graceful shutdown stops listening and ends every open stream, so that the HTTP server,
        // which waits for its open responses, can stop too.
        do {
            try await cancelWhenGracefulShutdown { try await self.listen() }
        } catch is CancellationError {}
        finishAll()
    }

    private func finishAll() {
        for continuation in streams.values.flatMap(\.values) { continuation.finish() }
        streams = [:]
    }

    private func listen() async throws {
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
                if Task.isCancelled { return }
                logger.warning("inbox listener lost its connection", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
