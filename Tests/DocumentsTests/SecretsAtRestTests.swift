import Foundation
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing

@testable import Documents

/// The token-signing key and second-factor secrets are stored sealed with a key from outside the
/// database: what a copy of the database holds signs nothing and generates no codes.
@Suite("Secrets at rest", .serialized, .timeLimit(.minutes(3)))
struct SecretsAtRestTests {
    static func stored(_ sql: String, _ client: PostgresClient) async throws -> String? {
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(String.self) { return value }
        return nil
    }

    @Test func theSigningKeyAndATotpSecretAreSealedInTheDatabase() async throws {
        try await DocumentsHarness.with { harness in
            let key = try #require(try await Self.stored("select convert_from(private_key, 'UTF8') from signing_keys", harness.client))
            #expect(key.hasPrefix(SecretBox.prefix))
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                let enrolment = try await client.send(
                    .post, "/api/v1/auth/totp", token: people.specialist, json: ["password": people.specialistPassword]
                ).decoded(AuthRoutes.Enrolment.self)
                let secret = try #require(try await Self.stored("select totp_secret from users where username = 'chuyenvien.test'", harness.client))
                #expect(secret.hasPrefix(SecretBox.prefix))
                #expect(!secret.contains(enrolment.secret))
                // The stored value opens to the secret the app was given.
                #expect(try OneTimeCode.enrolmentURL(secret: harness.accounts.secrets.openText(secret), username: "x", issuer: "y")
                    .contains(enrolment.secret))
            }
        }
    }

    @Test func aKeyStoredBeforeSealingIsReplacedAndARotatedKeyResealed() async throws {
        try await DocumentsHarness.with { harness in
            let raw = Data((0..<32).map { UInt8($0) })
            try await harness.client.query("delete from signing_keys")
            try await harness.client.query("insert into signing_keys (kid, private_key) values ('ed25519-legacy', \(ByteBuffer(bytes: Array(raw))))")
            let box = harness.accounts.secrets
            // Every old backup holds the raw key: it is not kept, a new sealed one takes its place.
            let fresh = try await SigningKeyStore.currentKey(client: harness.client, secrets: box, logger: testLogger)
            #expect(fresh.kid != "ed25519-legacy" && fresh.privateKey != raw)
            #expect(try await harness.database.count("select count(*)::int from signing_keys") == 1)
            let now = try #require(try await Self.stored("select convert_from(private_key, 'UTF8') from signing_keys", harness.client))
            #expect(now.hasPrefix(SecretBox.prefix))
            // A rotated configuration (new key first, old kept) still opens it and seals it with the new key;
            // one without the old key cannot open it.
            let rotated = try SecretBox(keyTexts: ["khoa-moi-sau-khi-xoay-0123456789abcdef", "khoa-thu-nghiem-0123456789abcdef0123456789"])
            #expect(try await SigningKeyStore.currentKey(client: harness.client, secrets: rotated, logger: testLogger) == fresh)
            let resealed = try #require(try await Self.stored("select convert_from(private_key, 'UTF8') from signing_keys", harness.client))
            #expect(rotated.isCurrent(resealed))
            let stranger = try SecretBox(keyTexts: ["khoa-la-hoan-toan-khac-0123456789abcdef"])
            await #expect(throws: (any Error).self) {
                _ = try await SigningKeyStore.currentKey(client: harness.client, secrets: stranger, logger: testLogger)
            }
        }
    }

    @Test func secondFactorSecretsInClearOrUnderAnOldKeyAreSealedAgainAtStart() async throws {
        try await DocumentsHarness.with { harness in
            let old = try SecretBox(keyTexts: ["khoa-cu-truoc-khi-xoay-0123456789abcdef"])
            try await harness.client.query(
                "update users set totp_secret = \(try old.seal("JBSWY3DPEHPK3PXP")), totp_enabled = true where username = 'admin'")
            // A configuration with the new key first and the old one kept: this start seals it anew.
            let rotated = try SecretBox(keyTexts: ["khoa-thu-nghiem-0123456789abcdef0123456789", "khoa-cu-truoc-khi-xoay-0123456789abcdef"])
            try await Bootstrap.resealSecondFactors(client: harness.client, secrets: rotated, logger: testLogger)
            let stored = try #require(try await Self.stored("select totp_secret from users where username = 'admin'", harness.client))
            #expect(rotated.isCurrent(stored))
            #expect(try harness.accounts.secrets.openText(stored) == "JBSWY3DPEHPK3PXP")
        }
    }

    @Test func noKeyConfiguredMeansNoStart() {
        #expect(throws: SecretBox.Missing.self) { try SecretBox(settings: ServiceSettings(name: "documents", defaultPort: 8080, environment: [:])) }
        #expect(throws: SecretBox.Missing.self) {
            try SecretBox(settings: ServiceSettings(name: "documents", defaultPort: 8080, environment: ["IOFFICE_SECRETS_KEYS": "ngan"]))
        }
    }
}
