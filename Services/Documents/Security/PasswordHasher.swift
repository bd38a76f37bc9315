import Dispatch
import HummingbirdBcrypt

/// bcrypt, deliberately slow. Hashing takes a few hundred milliseconds of CPU, so it runs on a Dispatch
/// queue instead of holding one of Swift's few cooperative threads.
struct PasswordHasher: Sendable {
    /// bcrypt's work factor: 12 in production; tests may lower it (never below 4, bcrypt's minimum).
    var cost: UInt8
    /// Compared against when the username does not exist, so a wrong name takes as long as a wrong password
    /// and does not tell an attacker which names exist.
    let decoyHash: String

    init(cost: UInt8) {
        self.cost = cost
        decoyHash = Bcrypt.hash(InitialPassword.make(), cost: cost)
    }

    func hash(_ password: String) async -> String {
        let cost = cost
        return await offPool { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, against hash: String?) async -> Bool {
        let decoy = decoyHash
        return await offPool { Bcrypt.verify(password, hash: hash ?? decoy) && hash != nil }
    }

    private func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }
}
