import Foundation
import JWTKit
import Logging

/// Turns a bearer token into a `Caller`, or refuses it. Documents puts its own key in `keys`; the other
/// services take the issuer's key set from a `KeySetSource` and fetch it again only when a token names a
/// key they do not know (rotation), at most once per `refetchInterval`; the fetched set replaces the old
/// one, so a key Documents stopped publishing stops being accepted.
public final class TokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    private let cache: KeySetCache?
    private let revocation: (any SessionRevocation)?

    public init(
        keys: JWTKeyCollection, source: (any KeySetSource)? = nil, revocation: (any SessionRevocation)? = nil,
        refetchInterval: Duration = .seconds(30)
    ) {
        self.keys = keys
        cache = source.map { KeySetCache(source: $0, interval: refetchInterval) }
        self.revocation = revocation
    }

    /// The caller the token names; throws `AccessDenied.invalidToken` for anything else (bad signature,
    /// unknown key, wrong issuer or audience, expired, revoked), and a 503 problem when the key set cannot
    /// be fetched.
    public func verify(_ token: String) async throws -> Caller {
        let collection = try await cache?.keys(for: KeySetCache.kid(of: token)) ?? keys
        let claims: AccessClaims
        do {
            claims = try await collection.verify(token, as: AccessClaims.self)
        } catch {
            throw AccessDenied.invalidToken
        }
        guard let caller = Caller(claims: claims) else { throw AccessDenied.invalidToken }
        if let revocation, try await revocation.isRevoked(sessionID: caller.sessionID, userID: caller.id) {
            throw AccessDenied.invalidToken
        }
        return caller
    }

    /// How many times the key set was fetched, for tests of the refetch rules.
    public var fetchCount: Int { get async { await cache?.fetches ?? 0 } }
}

/// Where a service gets the issuer's public keys (a JWKS document).
public protocol KeySetSource: Sendable {
    func keySet() async throws -> String
}

/// Lets the issuer refuse tokens of sessions that were logged out, or of users since locked.
public protocol SessionRevocation: Sendable {
    func isRevoked(sessionID: UUID, userID: UUID) async throws -> Bool
}
