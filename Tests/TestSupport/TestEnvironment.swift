import AMQPClient
import Foundation
import Synchronization

/// The real broker and database the integration tests use, from `.local/env/test.env` (written by
/// `deploy/local/setup`; `make test` loads it). A missing variable fails loudly instead of skipping.
public enum TestEnvironment {
    public static func value(_ key: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[key], !value.isEmpty else {
            fatalError("\(key) is not set: run the tests with `make test` (it starts RabbitMQ and PostgreSQL)")
        }
        return value
    }

    public static var amqpURL: String { value("IOFFICE_TEST_AMQP_URL") }
    public static var databaseURL: String { value("IOFFICE_TEST_DATABASE_URL") }
    public static var repoRoot: String { value("IOFFICE_REPO_ROOT") }

    /// A service's own broker URL, from the env file `deploy/local/setup` wrote for it: for tests of what
    /// that service's user may and may not do.
    public static func serviceAMQPURL(_ service: String) throws -> String {
        let file = try String(contentsOfFile: "\(repoRoot)/.local/env/\(service).env", encoding: .utf8)
        guard let line = file.split(separator: "\n").first(where: { $0.hasPrefix("IOFFICE_AMQP_URL=") }) else {
            fatalError("no IOFFICE_AMQP_URL in .local/env/\(service).env: run deploy/local/setup")
        }
        return String(line.dropFirst("IOFFICE_AMQP_URL=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    public static func connection(_ name: String) throws -> AMQPConnection {
        var configuration = try AMQPConfiguration(url: amqpURL, connectionName: "test-\(name)")
        configuration.heartbeatSeconds = 5
        return AMQPConnection(configuration: configuration)
    }

    /// A queue name no other test uses.
    public static func uniqueQueue(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs a program and returns its standard output; throws with its standard error on failure.
    /// Output goes through files, not pipes: a daemon the program starts (the broker) keeps them open.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("ioffice-test-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent("ioffice-test-\(UUID().uuidString).err")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        // posix_spawn and waitpid: Foundation's Process does not always reap a child from an async context.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw CommandFailed(command: executable, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitCode = (status >> 8) & 0xff
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        guard status & 0x7f == 0, exitCode == 0 else {
            let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            throw CommandFailed(command: ([executable] + arguments).joined(separator: " "), output: err + out)
        }
        return out
    }

    public struct CommandFailed: Error, CustomStringConvertible {
        public var command: String
        public var output: String
        public var description: String { "\(command) failed: \(output)" }
    }
}

/// Reads deliveries until `count` arrived or `timeout` passed; returns what arrived.
public func collect(_ consumer: AMQPConsumer, count: Int, timeout: Duration, ack: Bool = true) async throws -> [AMQPDelivery] {
    try await collect(consumer, timeout: timeout, ack: ack) { $0.count == count }
}

/// Reads deliveries until `done` holds for what arrived, or `timeout` passed; returns what arrived.
public func collect(
    _ consumer: AMQPConsumer, timeout: Duration, ack: Bool = true, until done: @escaping @Sendable ([AMQPDelivery]) -> Bool
) async throws -> [AMQPDelivery] {
    let received = Collected()
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            for try await delivery in consumer {
                if ack { delivery.ack() }
                let finished = received.list.withLock { list in
                    list.append(delivery)
                    return done(list)
                }
                if finished { return }
            }
        }
        group.addTask { try await Task.sleep(for: timeout) }
        try await group.next()
        group.cancelAll()
    }
    return received.list.withLock { $0 }
}

private final class Collected: Sendable {
    let list = Mutex<[AMQPDelivery]>([])
}

/// Runs `body` with a connected test connection and a fresh quorum queue (with its `.dlq`); deletes
/// both queues and closes the connection afterwards, also when `body` fails.
public func withTestQueue<T>(
    _ name: String, _ body: (AMQPConnection, String) async throws -> T
) async throws -> T {
    let connection = try TestEnvironment.connection(name)
    try await connection.waitUntilConnected()
    let queue = TestEnvironment.uniqueQueue(name)
    try await connection.declare(Topology(queues: [.init(queue)]))
    func cleanUp() async {
        try? await connection.deleteQueue(queue)
        try? await connection.deleteQueue(queue + ".dlq")
        await connection.close()
    }
    do {
        let result = try await body(connection, queue)
        await cleanUp()
        return result
    } catch {
        await cleanUp()
        throw error
    }
}
