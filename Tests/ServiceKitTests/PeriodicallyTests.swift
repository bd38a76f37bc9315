import Logging
import ServiceKit
import ServiceLifecycle
import Synchronization
import Testing

/// A background watch ends with the service: a graceful shutdown is not its failure (Documents, Notify
/// and Calendar logged "failed" and exited 1 on every SIGTERM).
@Suite("Periodic background work", .timeLimit(.minutes(1)))
struct PeriodicallyTests {
    final class Rounds: Sendable { let count = Atomic<Int>(0) }

    struct Watch: Service {
        let rounds: Rounds
        func run() async throws {
            try await repeatEvery(.seconds(3600), what: "test watch", logger: Logger(label: "tests")) {
                rounds.count.add(1, ordering: .relaxed)
            }
        }
    }

    @Test func aGracefulShutdownEndsTheWatchWithoutAnError() async throws {
        let rounds = Rounds()
        let watch = Watch(rounds: rounds)
        let group = ServiceGroup(configuration: .init(services: [.init(service: watch)], logger: Logger(label: "tests")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while rounds.count.load(ordering: .relaxed) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(rounds.count.load(ordering: .relaxed) == 1)
    }
}
