import Foundation

/// Who may try a password now. bcrypt is the costliest thing the service does, so a login flood must not
/// take the cores or the database pool: an address has at most `perAddress` attempts in flight, attempts
/// that failed too often wait (`LoginThrottle`), and at most `permits` hashes run at once with a short
/// queue behind them; past that the answer is "busy", at once, without hashing.
actor LoginGate {
    enum Refusal: Error, Sendable {
        /// Try again after this many seconds.
        case wait(TimeInterval)
        /// Too many logins at once across the service.
        case busy
    }

    enum Outcome: Sendable { case failed, succeeded, undecided }

    private var throttle: LoginThrottle
    private var inFlight: [String: Int] = [:]
    private let perAddress: Int
    private let permits: Int
    private let maxWaiting: Int
    private var hashing = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Half the cores hash at most, so the other half keeps answering everything else.
    init(
        throttle: LoginThrottle = LoginThrottle(), perAddress: Int = 2,
        permits: Int = max(1, ProcessInfo.processInfo.activeProcessorCount / 2), maxWaiting: Int = 16
    ) {
        self.throttle = throttle
        self.perAddress = perAddress
        self.permits = permits
        self.maxWaiting = maxWaiting
    }

    /// Admits one attempt, or says why not. An admitted attempt ends with `leave`.
    func enter(username: String, address: String, at now: Date = Date()) -> Refusal? {
        let address = LoginThrottle.addressKey(address)
        if let wait = throttle.wait(username: Self.key(username), address: address, at: now) { return .wait(wait) }
        guard inFlight[address, default: 0] < perAddress else { return .wait(1) }
        inFlight[address, default: 0] += 1
        return nil
    }

    func leave(username: String, address: String, outcome: Outcome, at now: Date = Date()) {
        let address = LoginThrottle.addressKey(address)
        let left = inFlight[address, default: 1] - 1
        inFlight[address] = left > 0 ? left : nil
        switch outcome {
        case .failed: throttle.failed(username: Self.key(username), address: address, at: now)
        case .succeeded: throttle.succeeded(username: Self.key(username), address: address)
        case .undecided: break
        }
    }

    /// Second-factor codes: a wait per username, whatever the address (see `LoginThrottle.codeRule`).
    func codeWait(username: String, at now: Date = Date()) -> Refusal? {
        throttle.codeWait(username: Self.key(username), at: now).map(Refusal.wait)
    }

    func codeChecked(username: String, right: Bool, at now: Date = Date()) {
        if right { throttle.codeSucceeded(username: Self.key(username)) } else { throttle.codeFailed(username: Self.key(username), at: now) }
    }

    /// Waits for a hashing permit; refuses at once when the queue is full.
    func startHashing() async throws(Refusal) {
        if hashing < permits {
            hashing += 1
            return
        }
        guard waiters.count < maxWaiting else { throw .busy }
        // The permit is handed over by `finishHashing`, so `hashing` stays as it is.
        await withCheckedContinuation { waiters.append($0) }
    }

    func finishHashing() {
        if waiters.isEmpty {
            hashing -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// What a key may hold: usernames are short, a megabyte "username" must not be kept whole.
    private static func key(_ username: String) -> String { String(username.prefix(64)) }
}
