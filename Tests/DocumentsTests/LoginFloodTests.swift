import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import Documents

/// Login as a denial of service, against the real server over TCP with production's bcrypt cost: a flood
/// of wrong passwords must not take the cores or the database pool, and must not shut the real person out.
@Suite("A login flood neither stalls the service nor locks the account", .serialized, .timeLimit(.minutes(3)))
struct LoginFloodTests {
    static let newAdminPassword = "Quantri-moi-2026"

    @Test func oneHundredFiftyParallelBadLoginsLeaveOthersAnsweringAndTheUserLoggingInFromElsewhere() async throws {
        try await DocumentsHarness.with(environment: ["IOFFICE_BCRYPT_COST": "12"]) { harness in
            try await harness.application.test(.live) { client in
                let port = try #require(client.port)
                let first = try await client.login("admin", DocumentsHarness.adminPassword)
                let token = try await client.send(
                    .post, "/api/v1/auth/password", token: first.token,
                    json: ["currentPassword": DocumentsHarness.adminPassword, "newPassword": Self.newAdminPassword]
                ).decoded(TokenResponse.self).token

                let (statuses, slowest) = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<150 {
                        group.addTask {
                            try await RawHTTP.postJSON(
                                "/api/v1/auth/login", port: port, json: ["username": "admin", "password": "doan-bua-\(index)"]
                            ).status
                        }
                    }
                    // Meanwhile another user's requests, which need the database pool, keep answering.
                    var slowest = Duration.zero
                    let clock = ContinuousClock()
                    for _ in 0..<10 {
                        let started = clock.now
                        let units = try await RawHTTP.send("GET", "/api/v1/units", port: port, headers: ["Authorization": "Bearer \(token)"])
                        #expect(units.status == 200)
                        slowest = max(slowest, clock.now - started)
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    var statuses: [Int] = []
                    for try await status in group { statuses.append(status) }
                    return (statuses, slowest)
                }
                #expect(statuses.count == 150)
                #expect(statuses.allSatisfy { [401, 429, 503].contains($0) }, "\(Dictionary(grouping: statuses) { $0 }.mapValues(\.count))")
                // Few passwords were actually hashed: the rest waited without costing a bcrypt.
                #expect(statuses.filter { $0 == 401 }.count <= 12, "\(Dictionary(grouping: statuses) { $0 }.mapValues(\.count))")
                #expect(slowest < .seconds(1), "slowest other request during the flood: \(slowest)")

                // The admin, from another address, logs in at once with the right password.
                let clock = ContinuousClock()
                let started = clock.now
                let elsewhere = try await RawHTTP.postJSON(
                    "/api/v1/auth/login", port: port, from: "127.0.0.2", json: ["username": "admin", "password": Self.newAdminPassword])
                #expect(elsewhere.status == 200, "\(elsewhere.body)")
                #expect(clock.now - started < .seconds(1))
                // The flooding address, failing on, soon waits, and then even the right password is not checked.
                var waited = false
                for attempt in 0..<6 where !waited {
                    let wrong = try await RawHTTP.postJSON(
                        "/api/v1/auth/login", port: port, json: ["username": "admin", "password": "tiep-tuc-\(attempt)"])
                    waited = wrong.status == 429
                }
                #expect(waited)
                let flooder = try await RawHTTP.postJSON(
                    "/api/v1/auth/login", port: port, json: ["username": "admin", "password": Self.newAdminPassword])
                #expect(flooder.status == 429)
                #expect(Int(flooder.headers["retry-after"] ?? "") ?? 0 >= 1)
            }
        }
    }

    @Test func theFrontEndsForwardedAddressCountsOnlyFromATrustedPeer() async throws {
        try await DocumentsHarness.with(environment: ["IOFFICE_TRUSTED_PROXIES": "127.0.0.1"]) { harness in
            try await harness.application.test(.live) { client in
                let port = try #require(client.port)
                func wrong(from local: String, forwardedFor: String) async throws -> Int {
                    try await RawHTTP.postJSON(
                        "/api/v1/auth/login", port: port, from: local, headers: ["X-Forwarded-For": forwardedFor],
                        json: ["username": "admin", "password": "sai-mat-khau"]
                    ).status
                }
                for _ in 1...5 { #expect(try await wrong(from: "127.0.0.1", forwardedFor: "203.0.113.9") == 401) }
                #expect(try await wrong(from: "127.0.0.1", forwardedFor: "203.0.113.9") == 429)
                // Another browser behind the same front end is not held up.
                let right = try await RawHTTP.postJSON(
                    "/api/v1/auth/login", port: port, headers: ["X-Forwarded-For": "203.0.113.10"],
                    json: ["username": "admin", "password": DocumentsHarness.adminPassword])
                #expect(right.status == 200)
                // An untrusted peer's header is ignored: its own address is what counts, whatever it claims.
                for index in 1...5 { #expect(try await wrong(from: "127.0.0.3", forwardedFor: "198.51.100.\(index)") == 401) }
                #expect(try await wrong(from: "127.0.0.3", forwardedFor: "198.51.100.77") == 429)
            }
        }
    }
}
