import Crypto
import Foundation
import JWTKit
import ServiceKit
import Synchronization

/// The EdDSA key Documents signs access tokens with, and its public half as a JWKS document for the other
/// services. The key comes from the database at start-up (`SigningKeyStore`), so every instance and every
/// restart signs with the same key.
final class TokenKeyRing: Sendable {
    /// Shared with the verifier: Documents checks its own tokens with the same collection.
    let keys = JWTKeyCollection()
    private let published = Mutex<[PublicJWK]>([])

    struct PublicJWK: Codable, Sendable {
        var kty = "OKP"
        var crv = "Ed25519"
        var alg = "EdDSA"
        var use = "sig"
        var kid: String
        var x: String
    }

    func install(kid: String, privateKey raw: Data) async throws {
        let backing = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        await keys.add(eddsa: EdDSA.PrivateKey(backing: backing), kid: JWKIdentifier(string: kid))
        let x = backing.publicKey.rawRepresentation.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        published.withLock { $0 = [PublicJWK(kid: kid, x: x)] }
    }

    var currentKid: String? { published.withLock { $0.first?.kid } }

    func sign(_ claims: AccessClaims) async throws -> String {
        guard let kid = currentKid else { throw KeyNotLoaded() }
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// `{"keys": [...]}` with the public keys only.
    func jwksJSON() throws -> Data {
        let keys = published.withLock { $0 }
        return try JSONEncoder().encode(["keys": keys])
    }

    struct KeyNotLoaded: Error {}
}
