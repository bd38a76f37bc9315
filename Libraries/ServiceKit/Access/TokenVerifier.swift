import Foundation
import JWTKit
import Logging

/// Turns a bearer token into a `Caller`, or refuses it. Holds the issuer's public keys: Documents puts its
/// own key in; the other services fetch the key set from Documents' well-known URL once, and again only
/// when a token names a key they do not know (rotation), at most every `refetchInterval`.
public final class TokenVerifier: Sendable {
    private let keys: JWTKeyCollection
    private let source: (any KeySetSource)?
    private let revocation: (any SessionRevocation)?
    private let fetches: FetchGate

    public init(
        keys: JWTKeyCollection, source: (any KeySetSource)? = nil, revocation: (any SessionRevocation)? = nil,
        refetchInterval: Duration = .seconds(30)
    ) {
        self.keys = keys
        self.source = source
        self.revocation = revocation
        fetches = FetchGate(interval: refetchInterval)
    }

    /// The caller the token names; throws `AccessDenied.invalidToken` for anything else (bad signature,
    /// unknown key, expired, revoked), and a 503 problem when the key set cannot be fetched.
    public func verify(_ token: String) async throws -> Caller {
        let claims: AccessClaims
        do {
            claims = try await keys.verify(token, as: AccessClaims.self)
        } catch {
            guard let source, await fetches.mayFetch() else { throw AccessDenied.invalidToken }
            try await load(from: source)
            do {
                claims = try await keys.verify(token, as: AccessClaims.self)
            } catch {
                throw AccessDenied.invalidToken
            }
        }
        guard let caller = Caller(claims: claims) else { throw AccessDenied.invalidToken }
        if let revocation, try await revocation.isRevoked(sessionID: caller.sessionID, userID: caller.id) {
            throw AccessDenied.invalidToken
        }
        return caller
    }

    private func load(from source: any KeySetSource) async throws {
        let json: String
        do {
            json = try await source.keySet()
        } catch {
            throw ProblemDetails(
                type: "https://ioffice.example/problems/keys-unavailable", title: "Dịch vụ tạm thời không sẵn sàng",
                status: .serviceUnavailable, detail: "Chưa kiểm tra được phiên đăng nhập. Vui lòng thử lại sau ít phút.")
        }
        try await keys.add(jwksJSON: json)
    }
}

/// Where a service gets the issuer's public keys (a JWKS document).
public protocol KeySetSource: Sendable {
    func keySet() async throws -> String
}

/// Lets the issuer refuse tokens of sessions that were logged out, or of users since locked.
public protocol SessionRevocation: Sendable {
    func isRevoked(sessionID: UUID, userID: UUID) async throws -> Bool
}

/// At most one key-set fetch per interval, so forged tokens cannot make us hammer Documents.
actor FetchGate {
    private let interval: Duration
    private var last: ContinuousClock.Instant?

    init(interval: Duration) { self.interval = interval }

    func mayFetch() -> Bool {
        let now = ContinuousClock.now
        if let last, now - last < interval { return false }
        last = now
        return true
    }
}
