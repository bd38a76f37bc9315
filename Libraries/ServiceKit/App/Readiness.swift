import AMQPClient
import Logging
import PostgresNIO
import Synchronization

/// Answers `/ready`: start-up finished (schema migrated, topology declared), database answers, broker
/// connected with every topology declared and every consumer attached.
public final class Readiness: Sendable {
    let client: PostgresClient
    let connections: [AMQPConnection]
    let logger: Logger
    private let started = Atomic<Bool>(false)

    public init(client: PostgresClient, connections: [AMQPConnection], logger: Logger) {
        self.client = client
        self.connections = connections
        self.logger = logger
    }

    public func markStarted() { started.store(true, ordering: .releasing) }

    public func check() async -> [String: Bool] {
        [
            "startup": started.load(ordering: .acquiring),
            "database": await databaseAnswers(),
            "broker": connections.allSatisfy { $0.isConnected && $0.problems.isEmpty },
        ]
    }

    /// What the broker refused to declare or attach, for the operator reading `/ready`.
    public func problems() -> [String] { connections.flatMap(\.problems) }

    /// `select 1`, given two seconds.
    private func databaseAnswers() async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await self.client.query("select 1", logger: self.logger)
                    return true
                } catch { return false }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(2))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
