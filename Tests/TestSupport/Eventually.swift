/// Polls `check` every 100 ms until it returns a value or `timeout` passes (then returns nil): tests
/// wait on the outcome they need, never on a fixed time.
public func eventually<T>(timeout: Duration = .seconds(15), _ check: () async throws -> T?) async throws -> T? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let value = try await check() { return value }
        try await Task.sleep(for: .milliseconds(100))
    }
    return nil
}
