import Foundation

/// A real service executable of this build (`.build/debug/<product>`, such as `documents`), run as its own process with the given
/// environment and its output in a log file, so that a test can kill it with a real signal.
public final class ServiceProcess: @unchecked Sendable {
    public let name: String
    public let logURL: URL
    public private(set) var pid: pid_t = 0
    let environment: [String: String]

    /// Starts `name` with `environment` (nothing inherited but PATH and HOME).
    public init(_ name: String, environment: [String: String]) throws {
        self.name = name
        self.environment = environment
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("ioffice-\(name)-\(UUID().uuidString).log")
        try start()
    }

    /// Starts the executable again (after `kill`), appending to the same log.
    public func start(adding extra: [String: String] = [:], removing: [String] = []) throws {
        let executable = TestEnvironment.repoRoot + "/.build/debug/\(name)"
        var variables = environment.merging(extra) { $1 }
        for key in removing { variables[key] = nil }
        for key in ["PATH", "HOME"] { variables[key] = variables[key] ?? ProcessInfo.processInfo.environment[key] }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logURL.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(executable), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let spawned = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw TestEnvironment.CommandFailed(command: executable, output: String(cString: strerror(spawned)))
        }
        pid = child
    }

    /// Sends `signal` and reaps the process; returns once it is gone.
    public func kill(_ signal: Int32 = SIGKILL) {
        guard pid > 0 else { return }
        Foundation.kill(pid, signal)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        pid = 0
    }

    /// Whether the process is still alive; reaps it once it has exited (a crash at start-up shows at once).
    public var isRunning: Bool {
        guard pid > 0 else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            pid = 0
            return false
        }
        return true
    }

    /// Everything the process wrote so far.
    public var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Waits until the log holds `text` `count` times; throws, with the log's tail, after `timeout`.
    public func waitForLog(_ text: String, count: Int = 1, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while log.components(separatedBy: text).count - 1 < count {
            guard ContinuousClock.now < deadline, isRunning else {
                throw TestEnvironment.CommandFailed(
                    command: "\(name): waiting for \"\(text)\"", output: String(log.suffix(3000)))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: logURL)
    }
}
