import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Documents

/// The token-signing key is replaced on a schedule: the new key is published before it signs, the old
/// one stays published while tokens it signed can still be alive, and is then deleted, after which those
/// tokens are refused.
@Suite("Token signing key rotation", .serialized, .timeLimit(.minutes(3)))
struct TokenKeyRotationTests {
    let policy = TokenKeyPolicy(rotateAfter: 30 * 86_400, publishAhead: 120, keepRetired: 1_200)
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func theScheduleOfOneRotation() {
        let first = TokenKeyPolicy.Key(kid: "k1", createdAt: start)
        #expect(policy.needsNewKey([], now: start))
        #expect(!policy.needsNewKey([first], now: start.addingTimeInterval(29 * 86_400)))
        let due = start.addingTimeInterval(30 * 86_400)
        #expect(policy.needsNewKey([first], now: due))
        let second = TokenKeyPolicy.Key(kid: "k2", createdAt: due)
        let both = [second, first]
        // Published at once, signing two minutes later.
        #expect(policy.signing(both, now: due.addingTimeInterval(119)) == first)
        #expect(policy.signing(both, now: due.addingTimeInterval(120)) == second)
        // The old key stays while its last tokens may live, then goes.
        #expect(policy.retired(both, now: due.addingTimeInterval(120 + 1_200)) == [])
        #expect(policy.retired(both, now: due.addingTimeInterval(120 + 1_201)) == [first])
        // A first start signs with its only key at once.
        #expect(policy.signing([first], now: start) == first)
        #expect(policy.retired([first], now: due.addingTimeInterval(86_400)) == [])
    }

    @Test func aTokenOfTheOldKeyIsAcceptedUntilTheOldKeyIsDeletedThenRefused() async throws {
        try await DocumentsHarness.with { harness in
            let accounts = harness.accounts
            let verifier = harness.verifier
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                let oldKid = try #require(accounts.keyRing.currentKid)
                let due = Date().addingTimeInterval(30 * 86_400 + 60)
                func refresh(at now: Date) async throws {
                    try await accounts.keyRing.install(
                        try await SigningKeyStore.keySet(client: accounts.client, secrets: accounts.secrets, policy: policy, now: now, logger: testLogger))
                }
                func published() async throws -> [String] {
                    struct Set: Decodable { struct Key: Decodable { var kid: String }; var keys: [Key] }
                    return try await client.send(.get, "/.well-known/jwks.json").decoded(Set.self).keys.map(\.kid)
                }

                try await refresh(at: due)
                let keys = try await published()
                #expect(keys.count == 2 && keys.contains(oldKid))
                #expect(accounts.keyRing.currentKid == oldKid, "a new key signs only once it has been published for two minutes")
                #expect(try await harness.database.count("select count(*)::int from signing_keys") == 2)

                try await refresh(at: due.addingTimeInterval(121))
                let newKid = try #require(accounts.keyRing.currentKid)
                #expect(newKid != oldKid)
                let fresh = try await client.send(
                    .post, "/api/v1/auth/login", json: ["username": "chuyenvien.test", "password": people.specialistPassword]
                ).decoded(TokenResponse.self).token
                #expect(try await verifier.verify(fresh).username == "chuyenvien.test")
                #expect(try await verifier.verify(people.specialist).username == "chuyenvien.test", "the old key's token is still alive")

                try await refresh(at: due.addingTimeInterval(121 + 1_201))
                #expect(try await published() == [newKid])
                #expect(try await harness.database.count("select count(*)::int from signing_keys") == 1)
                await #expect(throws: ProblemDetails.self) { try await verifier.verify(people.specialist) }
                #expect(try await client.send(.get, "/api/v1/me", token: people.specialist).status == .unauthorized)
                #expect(try await client.send(.get, "/api/v1/me", token: fresh).status == .ok)

                // A key thought stolen: its row deleted, the next round makes a new one that signs at once.
                try await harness.client.query("delete from signing_keys")
                try await refresh(at: Date())
                #expect(accounts.keyRing.currentKid != newKid)
                #expect(try await client.send(.get, "/api/v1/me", token: fresh).status == .unauthorized)
            }
        }
    }
}
