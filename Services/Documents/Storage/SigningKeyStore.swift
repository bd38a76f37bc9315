import Crypto
import Foundation
import Logging
import PostgresNIO

/// The token signing key, made once and kept in Documents' database so restarts and replicas agree,
/// sealed by `SecretBox`: the database alone cannot sign tokens. A key stored before sealing existed is
/// replaced by a new one the first time it is read.
enum SigningKeyStore {
    /// The newest key, created on first call; concurrent first starts agree through the table lock.
    static func currentKey(client: PostgresClient, secrets: SecretBox, logger: Logger) async throws -> (kid: String, privateKey: Data) {
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            try await connection.query("lock table signing_keys in exclusive mode", logger: logger)
            let rows = try await connection.query(
                "select kid, private_key from signing_keys order by created_at desc limit 1", logger: logger)
            for try await (kid, stored) in rows.decode((String, ByteBuffer).self) {
                let bytes = Data(stored.readableBytesView)
                let text = String(decoding: bytes, as: UTF8.self)
                if secrets.isCurrent(text) { return (kid, try secrets.open(text)) }
                if secrets.isSealed(text) {
                    // Sealed with a key being rotated out: sealed with the current one now.
                    let key = try secrets.open(text)
                    try await connection.query(
                        "update signing_keys set private_key = \(ByteBuffer(string: try secrets.seal(key))) where kid = \(kid)", logger: logger)
                    return (kid, key)
                }
                // Raw bytes from before sealing: every backup made until now holds them, so they are not kept
                // and sealed but replaced (tokens signed with them end; people log in again once).
                try await connection.query("delete from signing_keys where substring(private_key from 1 for 7) <> 'sealed:'::bytea", logger: logger)
                break
            }
            let key = Curve25519.Signing.PrivateKey()
            let kid = "ed25519-" + UUID().uuidString.lowercased().prefix(8)
            try await connection.query(
                "insert into signing_keys (kid, private_key) values (\(kid), \(ByteBuffer(string: try secrets.seal(key.rawRepresentation))))",
                logger: logger)
            return (kid, key.rawRepresentation)
        }
    }
}
