import Crypto
import Foundation
import Logging
import PostgresNIO

/// The token signing keys, kept in Documents' database so restarts and replicas agree, sealed by
/// `SecretBox`: the database alone cannot sign tokens. A key stored before sealing existed is replaced by
/// a new one the first time it is read. Which key signs, and when one is made or deleted, is
/// `TokenKeyPolicy`'s rule.
enum SigningKeyStore {
    struct KeySet: Equatable, Sendable {
        /// Every published key, newest first.
        var keys: [(kid: String, privateKey: Data)]
        var signingKid: String

        static func == (a: KeySet, b: KeySet) -> Bool {
            a.signingKid == b.signingKid && a.keys.map(\.kid) == b.keys.map(\.kid) && a.keys.map(\.privateKey) == b.keys.map(\.privateKey)
        }
    }

    /// The published keys after making a new one or deleting retired ones where the policy says so;
    /// concurrent callers (replicas) agree through the table lock.
    /// `now` is the database's clock unless given (tests): every replica then judges key ages by the clock
    /// that wrote them.
    static func keySet(client: PostgresClient, secrets: SecretBox, policy: TokenKeyPolicy, now given: Date? = nil, logger: Logger) async throws -> KeySet {
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            try await connection.query("lock table signing_keys in exclusive mode", logger: logger)
            var now = given ?? Date()
            if given == nil {
                for try await clock in try await connection.query("select now()", logger: logger).decode(Date.self) { now = clock }
            }
            var stored: [(kid: String, privateKey: Data, createdAt: Date)] = []
            let rows = try await connection.query("select kid, private_key, created_at from signing_keys order by created_at desc", logger: logger)
            for try await (kid, value, createdAt) in rows.decode((String, ByteBuffer, Date).self) {
                let text = String(decoding: value.readableBytesView, as: UTF8.self)
                if secrets.isCurrent(text) {
                    stored.append((kid, try secrets.open(text), createdAt))
                } else if secrets.isSealed(text) {
                    // Sealed with a key being rotated out: sealed with the current one now.
                    let key = try secrets.open(text)
                    try await connection.query(
                        "update signing_keys set private_key = \(ByteBuffer(string: try secrets.seal(key))) where kid = \(kid)", logger: logger)
                    stored.append((kid, key, createdAt))
                }
            }
            // Raw bytes from before sealing: every backup made until now holds them, so they are not kept
            // and sealed but replaced (tokens signed with them end; people log in again once).
            try await connection.query("delete from signing_keys where substring(private_key from 1 for 7) <> 'sealed:'::bytea", logger: logger)
            if policy.needsNewKey(stored.map { .init(kid: $0.kid, createdAt: $0.createdAt) }, now: now) {
                let key = Curve25519.Signing.PrivateKey()
                let kid = "ed25519-" + UUID().uuidString.lowercased().prefix(8)
                try await connection.query(
                    "insert into signing_keys (kid, private_key, created_at) values (\(kid), \(ByteBuffer(string: try secrets.seal(key.rawRepresentation))), \(now))",
                    logger: logger)
                stored.insert((kid, key.rawRepresentation, now), at: 0)
                logger.notice("new token signing key made", metadata: ["kid": "\(kid)"])
            }
            let keys = stored.map { TokenKeyPolicy.Key(kid: $0.kid, createdAt: $0.createdAt) }
            let retired = Set(policy.retired(keys, now: now).map(\.kid))
            for kid in retired {
                try await connection.query("delete from signing_keys where kid = \(kid)", logger: logger)
                logger.notice("retired token signing key deleted", metadata: ["kid": "\(kid)"])
            }
            guard let signing = policy.signing(keys, now: now) else { throw NoSigningKey() }
            return KeySet(keys: stored.filter { !retired.contains($0.kid) }.map { ($0.kid, $0.privateKey) }, signingKid: signing.kid)
        }
    }

    /// The key that signs now (start-up and tests of sealing).
    static func currentKey(client: PostgresClient, secrets: SecretBox, policy: TokenKeyPolicy = .init(), logger: Logger) async throws -> (kid: String, privateKey: Data) {
        let set = try await keySet(client: client, secrets: secrets, policy: policy, logger: logger)
        guard let key = set.keys.first(where: { $0.kid == set.signingKid }) else { throw NoSigningKey() }
        return key
    }

    struct NoSigningKey: Error {}
}
