import Contracts
import Crypto
import Foundation
import JWTKit
import ServiceKit
import Synchronization
import Testing

/// The token rules every service applies, with an in-memory key set standing in for Documents' JWKS
/// route (the real route is exercised by CrossServiceTokenTests).
@Suite("Access tokens: issuer, audience, key rotation and refetch limits", .timeLimit(.minutes(1)))
struct TokenVerifierTests {
    /// An issuer key and its JWKS entry.
    struct IssuerKey {
        let kid: String
        let key = Curve25519.Signing.PrivateKey()
        var jwk: String {
            let x = key.publicKey.rawRepresentation.base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            return #"{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":"\#(kid)","x":"\#(x)"}"#
        }

        func sign(_ claims: some JWTPayload) async throws -> String {
            let keys = JWTKeyCollection()
            await keys.add(eddsa: try EdDSA.PrivateKey(backing: key), kid: JWKIdentifier(string: kid))
            return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
        }
    }

    /// What Documents would publish now; counts how often it is asked.
    final class Published: KeySetSource, Sendable {
        let current = Mutex<[IssuerKey]>([])
        let asked = Atomic<Int>(0)
        init(_ keys: [IssuerKey]) { current.withLock { $0 = keys } }
        func keySet() async throws -> String {
            asked.add(1, ordering: .relaxed)
            return #"{"keys":["# + current.withLock { $0.map(\.jwk) }.joined(separator: ",") + "]}"
        }
    }

    static func claims(lifetime: Duration = .seconds(600)) -> AccessClaims {
        AccessClaims(
            userID: UUID(), sessionID: UUID(), username: "chuyenvien", name: "Trần Văn Bình", unit: nil, roles: [.specialist],
            permissions: [], mustChangePassword: false, issuedAt: Date(), lifetime: lifetime)
    }

    static func expectRefused(_ verifier: TokenVerifier, _ token: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            _ = try await verifier.verify(token)
            Issue.record("token accepted", sourceLocation: sourceLocation)
        } catch let problem as ProblemDetails {
            #expect(problem.type == AccessDenied.invalidToken.type, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func aRotatedOutKeyIsRefusedOnceTheNewSetIsFetched() async throws {
        let (old, new) = (IssuerKey(kid: "k1"), IssuerKey(kid: "k2"))
        let published = Published([old])
        let verifier = TokenVerifier(keys: JWTKeyCollection(), source: published, refetchInterval: .zero)
        let oldToken = try await old.sign(Self.claims())
        _ = try await verifier.verify(oldToken)
        published.current.withLock { $0 = [new] }
        _ = try await verifier.verify(try await new.sign(Self.claims()))
        await Self.expectRefused(verifier, oldToken)
    }

    @Test func aBadSignatureOnAKnownKeyFetchesNothing() async throws {
        let key = IssuerKey(kid: "k1")
        let published = Published([key])
        // No interval at all: only the rule "refetch for an unknown kid" keeps fetches away.
        let verifier = TokenVerifier(keys: JWTKeyCollection(), source: published, refetchInterval: .zero)
        _ = try await verifier.verify(try await key.sign(Self.claims()))
        let forger = IssuerKey(kid: "k1")
        for _ in 0..<50 { await Self.expectRefused(verifier, try await forger.sign(Self.claims())) }
        #expect(published.asked.load(ordering: .relaxed) == 1)
    }

    @Test func unknownKeysCauseAtMostOneFetchPerInterval() async throws {
        let key = IssuerKey(kid: "k1")
        let published = Published([key])
        let verifier = TokenVerifier(keys: JWTKeyCollection(), source: published, refetchInterval: .seconds(3600))
        _ = try await verifier.verify(try await key.sign(Self.claims()))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask { await Self.expectRefused(verifier, try await IssuerKey(kid: "x\(index)").sign(Self.claims())) }
            }
            try await group.waitForAll()
        }
        #expect(published.asked.load(ordering: .relaxed) == 1)
    }

    /// Documents still starting: the first fetches fail.
    final class Flaky: KeySetSource, Sendable {
        let failures = Atomic<Int>(1)
        let published: Published
        init(_ published: Published) { self.published = published }
        func keySet() async throws -> String {
            if failures.subtract(1, ordering: .relaxed).newValue >= 0 { throw CancellationError() }
            return try await published.keySet()
        }
    }

    @Test func whileTheKeySetCannotBeFetchedTokensAreUnavailableNotLoggedOut() async throws {
        let key = IssuerKey(kid: "k1")
        let verifier = TokenVerifier(keys: JWTKeyCollection(), source: Flaky(Published([key])), refetchInterval: .seconds(3600))
        let token = try await key.sign(Self.claims())
        for _ in 0..<3 {
            do {
                _ = try await verifier.verify(token)
                Issue.record("verified without keys")
            } catch let problem as ProblemDetails {
                #expect(problem.status == .serviceUnavailable)
            }
        }
        let retrying = TokenVerifier(keys: JWTKeyCollection(), source: Flaky(Published([key])), refetchInterval: .zero)
        await #expect(throws: ProblemDetails.self) { try await retrying.verify(token) }
        _ = try await retrying.verify(token)
    }

    @Test func concurrentFirstRequestsShareOneFetchAndAllPass() async throws {
        let key = IssuerKey(kid: "k1")
        let published = Published([key])
        let verifier = TokenVerifier(keys: JWTKeyCollection(), source: published)
        let token = try await key.sign(Self.claims())
        try await withThrowingTaskGroup(of: Caller.self) { group in
            for _ in 0..<20 { group.addTask { try await verifier.verify(token) } }
            var passed = 0
            for try await _ in group { passed += 1 }
            #expect(passed == 20)
        }
        #expect(published.asked.load(ordering: .relaxed) == 1)
    }

    struct Foreign: JWTPayload {
        var iss: IssuerClaim
        var aud: AudienceClaim?
        var sub: SubjectClaim
        var exp: ExpirationClaim
        var sid: String
        var username = "chuyenvien"
        var name = "x"
        var roles = ["admin"]
        var permissions: [String] = []
        var mustChangePassword = false
        var jti = IDClaim(value: "j")
        var iat = IssuedAtClaim(value: Date())
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    @Test(arguments: [("ioffice-documents", nil), ("ioffice-documents", "another-system"), ("someone-else", "ioffice")] as [(String, String?)])
    func aTokenForAnotherIssuerOrAudienceIsRefused(issuer: String, audience: String?) async throws {
        let key = IssuerKey(kid: "k1")
        let verifier = TokenVerifier(keys: JWTKeyCollection(), source: Published([key]))
        let foreign = Foreign(
            iss: .init(value: issuer), aud: audience.map { .init(value: [$0]) }, sub: .init(value: UUID().uuidString.lowercased()),
            exp: .init(value: Date().addingTimeInterval(600)), sid: UUID().uuidString.lowercased())
        await Self.expectRefused(verifier, try await key.sign(foreign))
        _ = try await verifier.verify(try await key.sign(Self.claims()))
    }

    @Test func aKeySetOverPlainHTTPToAnotherHostIsRefusedAtStart() throws {
        #expect(throws: RemoteKeySet.InsecureURL.self) { try RemoteKeySet(url: "http://documents.internal:8080/.well-known/jwks.json") }
        _ = try RemoteKeySet(url: "https://documents.internal/.well-known/jwks.json")
        _ = try RemoteKeySet(url: "http://127.0.0.1:8080/.well-known/jwks.json")
        #expect(throws: RemoteKeySet.InsecureURL.self) { try RemoteKeySet(url: "http://127.0.0.1.evil.example/jwks.json") }
        let settings = ServiceSettings(
            name: "notify", defaultPort: 8081,
            environment: ["IOFFICE_AUTH_JWKS_URL": "http://10.0.0.5/jwks.json", "IOFFICE_AUTH_JWKS": #"{"keys":[]}"#])
        #expect(try settings.keySetSource() is StaticKeySet)
    }
}
