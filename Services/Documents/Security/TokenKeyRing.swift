import Crypto
import Foundation
import JWTKit
import ServiceKit
import Synchronization

/// The EdDSA keys Documents signs access tokens with, and their public halves as a JWKS document for the
/// other services. The keys come from the database (`SigningKeyStore`) at start-up and again every
/// minute (`TokenKeyRotation`), so every instance and every restart signs with the same key, and a
/// rotation reaches every replica before the new key signs.
final class TokenKeyRing: Sendable {
    /// Shared with the verifier: Documents checks its own tokens with the same collection.
    let keys = JWTKeyCollection()
    private let published = Mutex<(keys: [PublicJWK], signing: String?)>(([], nil))

    struct PublicJWK: Codable, Sendable {
        var kty = "OKP"
        var crv = "Ed25519"
        var alg = "EdDSA"
        var use = "sig"
        var kid: String
        var x: String
    }

    /// Publishes `set` and signs with its signing key from now on: keys new to this process are added to
    /// the collection the verifier uses, keys no longer published are removed from it (their tokens are
    /// refused from then on).
    func install(_ set: SigningKeyStore.KeySet) async throws {
        var jwks: [PublicJWK] = []
        for (kid, raw) in set.keys {
            let backing = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            await keys.add(eddsa: EdDSA.PrivateKey(backing: backing), kid: JWKIdentifier(string: kid))
            let x = backing.publicKey.rawRepresentation.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            jwks.append(PublicJWK(kid: kid, x: x))
        }
        let kids = set.keys.map { JWKIdentifier(string: $0.kid) }
        _ = await keys.removeAll(except: kids)
        published.withLock { $0 = (jwks, set.signingKid) }
    }

    var currentKid: String? { published.withLock { $0.signing } }

    func sign(_ claims: AccessClaims) async throws -> String {
        guard let kid = currentKid else { throw KeyNotLoaded() }
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    /// `{"keys": [...]}` with the public keys only.
    func jwksJSON() throws -> Data {
        let keys = published.withLock { $0.keys }
        return try JSONEncoder().encode(["keys": keys])
    }

    struct KeyNotLoaded: Error {}
}
