import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Prometheus
import ServiceKit
import Testing

@testable import Documents

@Suite("Another service verifies Documents' tokens with the published key", .serialized, .timeLimit(.minutes(3)))
struct CrossServiceTokenTests {
    @Test func notifyAcceptsATokenIssuedHereAndRefusesATamperedOne() async throws {
        try await DocumentsHarness.with { harness in
            // Documents over real HTTP, so Notify fetches the key set the way it does in production.
            try await harness.application.test(.live) { documents in
                let people = try await AccessRulesTests.people(documents)
                let port = try #require(documents.port)
                let notifySettings = ServiceSettings(
                    name: "notify", defaultPort: 8081,
                    environment: ["IOFFICE_AUTH_JWKS_URL": "http://127.0.0.1:\(port)/.well-known/jwks.json"])
                let notify = ServiceRuntime.router(
                    settings: notifySettings, readiness: Readiness(client: harness.client, connections: [], logger: testLogger),
                    registry: PrometheusCollectorRegistry(),
                    verifier: TokenVerifier(keys: JWTKeyCollection(), source: try RemoteKeySet(url: notifySettings.jwksURL)))
                try await Application(router: notify).test(.router) { client in
                    let me = try await client.send(.get, "/api/v1/me", token: people.specialist)
                    #expect(me.status == .ok)
                    #expect(try me.decoded(MeResponse.self).username == "chuyenvien.test")

                    // Claim admin in the payload, keep the signature: the signature no longer matches.
                    let parts = people.specialist.split(separator: ".").map(String.init)
                    var payload = try JSONSerialization.jsonObject(with: try #require(Base64URL.decode(parts[1]))) as! [String: Any]
                    payload["roles"] = ["admin"]
                    let tampered = [parts[0], Base64URL.encode(try JSONSerialization.data(withJSONObject: payload)), parts[2]]
                        .joined(separator: ".")
                    let refused = try await client.send(.get, "/api/v1/me", token: tampered)
                    #expect(refused.status == .unauthorized)
                    #expect(refused.problem?.title == "Phiên đăng nhập không hợp lệ")
                    #expect(try await client.send(.get, "/api/v1/me").status == .unauthorized)
                }
            }
        }
    }
}

enum Base64URL {
    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
