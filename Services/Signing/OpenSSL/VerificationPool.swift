import NIOCore
import NIOPosix

/// Verifications run on threads of their own, never on Swift's cooperative pool: one takes from
/// microseconds to the file's time budget, and a few hostile files must not stall every request and
/// message the service handles meanwhile. As many threads as cores; callers beyond that wait their turn.
struct VerificationPool: Sendable {
    let verifier: SignatureVerifier
    let pool: NIOThreadPool

    init(verifier: SignatureVerifier, threads: Int = System.coreCount) {
        self.verifier = verifier
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    func verify(_ document: SignedDocument) async throws -> [SignatureFinding] {
        let verifier = self.verifier
        return try await pool.runIfActive { verifier.verify(document) }
    }
}
