import Crypto
import Foundation
import Logging
import PostgresNIO

/// The token signing key, made once and kept in Documents' database so restarts and replicas agree.
enum SigningKeyStore {
    /// The newest key, created on first call; concurrent first starts agree through the primary key.
    static func currentKey(client: PostgresClient, logger: Logger) async throws -> (kid: String, privateKey: Data) {
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            try await connection.query("lock table signing_keys in exclusive mode", logger: logger)
            let rows = try await connection.query(
                "select kid, private_key from signing_keys order by created_at desc limit 1", logger: logger)
            for try await (kid, key) in rows.decode((String, ByteBuffer).self) { return (kid, Data(key.readableBytesView)) }
            let key = Curve25519.Signing.PrivateKey()
            let kid = "ed25519-" + UUID().uuidString.lowercased().prefix(8)
            try await connection.query(
                "insert into signing_keys (kid, private_key) values (\(kid), \(ByteBuffer(bytes: Array(key.rawRepresentation))))",
                logger: logger)
            return (kid, key.rawRepresentation)
        }
    }
}
