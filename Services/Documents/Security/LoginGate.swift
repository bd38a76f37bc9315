import Foundation
import Logging
import PostgresNIO

/// Who may try a password now. bcrypt is the costliest thing the service does, so a login flood must not
/// take the cores or the database pool: an address has at most `perAddress` attempts in flight (in this
/// process), attempts that failed too often wait (`LoginThrottle`'s rules over records every replica
/// shares, `LoginFailureStore`), and at most `permits` hashes run at once with a short queue behind
/// them; past that the answer is "busy", at once, without hashing.
actor LoginGate {
    enum Refusal: Error, Sendable {
        /// Try again after this many seconds.
        case wait(TimeInterval)
        /// Too many logins at once across the service.
        case busy
    }

    enum Outcome: Sendable { case failed, succeeded, undecided }

    private let store: LoginFailureStore
    private var throttle: LoginThrottle { store.throttle }
    private var inFlight: [String: Int] = [:]
    private let perAddress: Int
    private let permits: Int
    private let maxWaiting: Int
    private var hashing = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Half the cores hash at most, so the other half keeps answering everything else.
    init(
        store: LoginFailureStore, perAddress: Int = 2,
        permits: Int = max(1, ProcessInfo.processInfo.activeProcessorCount / 2), maxWaiting: Int = 16
    ) {
        self.store = store
        self.perAddress = perAddress
        self.permits = permits
        self.maxWaiting = maxWaiting
    }

    /// Admits one attempt, or says why not. An admitted attempt ends with `leave`.
    func enter(username: String, address: String, at now: Date = Date()) async throws -> Refusal? {
        let address = LoginThrottle.addressKey(address)
        // Counted before the wait is read, so that parallel attempts from one address cannot all pass it.
        guard inFlight[address, default: 0] < perAddress else { return .wait(1) }
        inFlight[address, default: 0] += 1
        do {
            let wait = try await store.wait(
                [(.pair, LoginThrottle.pairKey(username: Self.key(username), address: address)), (.address, address)], at: now)
            guard let wait else { return nil }
            release(address)
            return .wait(wait)
        } catch {
            release(address)
            throw error
        }
    }

    func leave(username: String, address: String, outcome: Outcome, at now: Date = Date()) async {
        let address = LoginThrottle.addressKey(address)
        // The slot is given back only once the failure is counted: the next attempt from this address
        // then reads the wait it earned.
        defer { release(address) }
        let pair = LoginThrottle.pairKey(username: Self.key(username), address: address)
        do {
            switch outcome {
            case .failed:
                try await store.failed(.pair, pair, rule: throttle.pairRule, at: now)
                try await store.failed(.address, address, rule: throttle.addressRule, at: now)
            case .succeeded: try await store.clear(.pair, pair)
            case .undecided: break
            }
        } catch {
            store.logger.warning("login failure not recorded", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func release(_ address: String) {
        let left = inFlight[address, default: 1] - 1
        inFlight[address] = left > 0 ? left : nil
    }

    /// Second-factor codes: a wait per username, whatever the address (see `LoginThrottle.codeRule`). Both
    /// run on the caller's connection when it holds one, so a login never waits for a second connection.
    func codeWait(username: String, at now: Date = Date(), on connection: PostgresConnection? = nil) async throws -> Refusal? {
        try await store.wait([(.code, Self.key(username))], at: now, on: connection).map(Refusal.wait)
    }

    func codeChecked(username: String, right: Bool, at now: Date = Date(), on connection: PostgresConnection? = nil) async throws {
        if right {
            try await store.clear(.code, Self.key(username), on: connection)
        } else {
            try await store.failed(.code, Self.key(username), rule: throttle.codeRule, at: now, on: connection)
        }
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
