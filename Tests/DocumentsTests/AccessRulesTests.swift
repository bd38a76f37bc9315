import Contracts
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import ServiceKit
import Testing

@testable import Documents

@Suite("Who may do what, over HTTP against the real database", .serialized, .timeLimit(.minutes(3)))
struct AccessRulesTests {
    /// Logs the admin in with a changed password, and makes a specialist who has changed theirs too.
    static func people(_ client: some TestClientProtocol) async throws -> (admin: String, specialist: String, specialistPassword: String) {
        let first = try await client.login("admin", DocumentsHarness.adminPassword)
        let admin = try await client.send(
            .post, "/api/v1/auth/password", token: first.token,
            json: ["currentPassword": DocumentsHarness.adminPassword, "newPassword": "Quantri-moi-2026"]
        ).decoded(TokenResponse.self).token
        let units = try await client.send(.get, "/api/v1/units", token: admin).decoded([UnitView].self)
        let created = try await client.send(
            .post, "/api/v1/users", token: admin,
            json: FirstLoginJourneyTests.NewUser(
                username: "chuyenvien.test", fullName: "Trần Văn Bình", unitId: units[0].id, position: "Chuyên viên",
                roles: ["specialist"], permissions: [], phone: nil)
        ).decoded(CreatedUser.self)
        let userFirst = try await client.login("chuyenvien.test", created.initialPassword)
        let specialist = try await client.send(
            .post, "/api/v1/auth/password", token: userFirst.token,
            json: ["currentPassword": created.initialPassword, "newPassword": "Song-Hong-2026"]
        ).decoded(TokenResponse.self).token
        return (admin, specialist, "Song-Hong-2026")
    }

    @Test func repeatedFailuresMakeThatAddressWaitAndSayNothingAboutWhetherTheNameExists() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                _ = try await Self.people(client)
                var answers: [String: [String]] = [:]
                for username in ["chuyenvien.test", "khong.ton.tai"] {
                    for _ in 1...5 {
                        let wrong = try await client.send(.post, "/api/v1/auth/login", json: ["username": username, "password": "sai-mat-khau-1"])
                        #expect(wrong.status == .unauthorized)
                        #expect(wrong.problem?.detail == "Tên đăng nhập hoặc mật khẩu không đúng.")
                        answers[username, default: []].append("\(wrong.status.code) \(wrong.problem?.type ?? "")")
                    }
                    let sixth = try await client.send(.post, "/api/v1/auth/login", json: ["username": username, "password": "sai-mat-khau-1"])
                    #expect(sixth.status == .tooManyRequests)
                    #expect(sixth.headers[.retryAfter] == "1")
                    #expect(sixth.problem?.detail == "Đăng nhập sai nhiều lần. Vui lòng thử lại sau 1 giây.")
                    answers[username, default: []].append("\(sixth.status.code) \(sixth.problem?.type ?? "")")
                }
                // An unknown name and a real one get the same answers in the same order.
                #expect(answers["chuyenvien.test"] == answers["khong.ton.tai"])
                // While it waits, even the right password is not checked from this address.
                let right = try await client.send(.post, "/api/v1/auth/login", json: ["username": "chuyenvien.test", "password": "Song-Hong-2026"])
                #expect(right.status == .tooManyRequests)
                // Only attempts whose password was checked are logged; the account itself is not locked.
                #expect(
                    try await database.count(
                        "select count(*)::int from usage_log where action = 'loginFailed' and username = 'chuyenvien.test'") == 5)
                #expect(try await database.count("select count(*)::int from users where locked_until is not null") == 0)
                #expect(try await database.count("select failed_logins from users where username = 'chuyenvien.test'") == 5)
            }
        }
    }

    @Test func anAdministratorCannotLockThemselvesOut() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await Self.people(client)
                let me = try await client.send(.get, "/api/v1/me", token: people.admin).decoded(MeResponse.self)
                let units = try await client.send(.get, "/api/v1/units", token: people.admin).decoded([UnitView].self)
                struct Change: Encodable { var fullName = "Quản trị hệ thống"; var unitId: UUID; var roles: [String]; var active: Bool?; var locked: Bool? }
                for change in [
                    Change(unitId: units[0].id, roles: ["specialist"]), Change(unitId: units[0].id, roles: ["admin"], active: false),
                    Change(unitId: units[0].id, roles: ["admin"], locked: true),
                ] {
                    let refused = try await client.send(.put, "/api/v1/users/\(me.id)", token: people.admin, json: change)
                    #expect(refused.status == .conflict)
                }
                #expect(try await client.send(.get, "/api/v1/users", token: people.admin).status == .ok)
                let renamed = try await client.send(.put, "/api/v1/users/\(me.id)", token: people.admin, json: Change(unitId: units[0].id, roles: ["admin"]))
                #expect(renamed.status == .ok)
            }
        }
    }

    @Test func aMustChangeTokenOpensOnlyThePasswordChange() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let token = try await client.login("admin", DocumentsHarness.adminPassword).token
                for path in ["/api/v1/me", "/api/v1/units", "/api/v1/directory", "/api/v1/users", "/api/v1/document-types"] {
                    let response = try await client.send(.get, path, token: token)
                    #expect(response.status == .forbidden, "\(path)")
                    #expect(response.problem?.title == "Cần đổi mật khẩu", "\(path)")
                }
                let changed = try await client.send(
                    .post, "/api/v1/auth/password", token: token,
                    json: ["currentPassword": DocumentsHarness.adminPassword, "newPassword": "Quantri-moi-2026"])
                #expect(changed.status == .ok)
            }
        }
    }

    @Test func aUserWithoutAdminIsRefusedOnAdminRoutesInVietnamese() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await Self.people(client)
                let cases: [(HTTPRequest.Method, String)] = [
                    (.get, "/api/v1/users"), (.post, "/api/v1/units"), (.post, "/api/v1/agencies"),
                ]
                for (method, path) in cases {
                    let response = try await client.send(method, path, token: people.specialist, json: ["code": "X", "name": "Y"])
                    #expect(response.status == .forbidden, "\(method) \(path)")
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                    #expect(response.problem?.detail == "Chức năng này dành cho vai trò Quản trị.", "\(method) \(path)")
                }
                // The usage log: the specialist reads their own lines only (seed §6.9), the admin's none.
                struct Log: Decodable { var items: [Line]; struct Line: Decodable { var username: String; var action: String } }
                let own = try await client.send(.get, "/api/v1/usage-log?perPage=200", token: people.specialist).decoded(Log.self)
                #expect(!own.items.isEmpty && Set(own.items.map(\.username)) == ["chuyenvien.test"])
                #expect(own.items.contains { $0.action == "passwordChanged" })
                let asking = try await client.send(.get, "/api/v1/usage-log?username=admin", token: people.specialist).decoded(Log.self)
                #expect(asking.items.isEmpty)
                // What every logged-in user may read, the specialist reads.
                let directory = try await client.send(.get, "/api/v1/directory?q=binh", token: people.specialist)
                #expect(directory.status == .ok)
                #expect(try directory.decoded(DirectoryPage.self).items.map(\.fullName) == ["Trần Văn Bình"])
            }
        }
    }

    @Test func aTokenSignedByAnotherKeyIsRefused() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await Self.people(client)
                let me = try await client.send(.get, "/api/v1/me", token: people.specialist).decoded(MeResponse.self)
                let currentKid = harness.accounts.keyRing.currentKid
                let kid = try #require(currentKid)
                // Same claims and even the same key id, but another private key.
                let forger = JWTKeyCollection()
                await forger.add(eddsa: try EdDSA.PrivateKey(), kid: JWKIdentifier(string: kid))
                let claims = AccessClaims(
                    userID: me.id, sessionID: UUID(), username: me.username, name: me.fullName, unit: me.unit, roles: [.admin],
                    permissions: [], mustChangePassword: false, issuedAt: Date(), lifetime: .seconds(600))
                let forged = try await forger.sign(claims, kid: JWKIdentifier(string: kid))
                let response = try await client.send(.get, "/api/v1/users", token: forged)
                #expect(response.status == .unauthorized)
                #expect(response.problem?.title == "Phiên đăng nhập không hợp lệ")
            }
        }
    }

    @Test func loggingOutVoidsTheToken() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await Self.people(client)
                #expect(try await client.send(.get, "/api/v1/me", token: people.specialist).status == .ok)
                #expect(try await client.send(.post, "/api/v1/auth/logout", token: people.specialist).status == .noContent)
                #expect(try await client.send(.get, "/api/v1/me", token: people.specialist).status == .unauthorized)
            }
        }
    }

    @Test func aSecondFactorOnceEnrolledIsRequiredAtLogin() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await Self.people(client)
                // A session alone (a stolen token) cannot enrol: the password is asked again.
                let bare = try await client.send(.post, "/api/v1/auth/totp", token: people.specialist)
                #expect([400, 422].contains(bare.status.code))
                let wrong = try await client.send(.post, "/api/v1/auth/totp", token: people.specialist, json: ["password": "doan-thu"])
                #expect(wrong.status == .forbidden)
                let enrolment = try await client.send(
                    .post, "/api/v1/auth/totp", token: people.specialist, json: ["password": people.specialistPassword]
                ).decoded(AuthRoutes.Enrolment.self)
                #expect(enrolment.url.hasPrefix("otpauth://totp/"))
                var stored: String?
                for try await value in try await harness.client.query(
                    "select totp_secret from users where username = 'chuyenvien.test'"
                ).decode(String.self) { stored = value }
                // Stored sealed: the test opens it with the service's key, as the service does.
                let secret = try harness.accounts.secrets.openText(try #require(stored))
                let now = Date()
                let code = String(format: "%06d", TOTPTestCode.compute(secret: secret, at: now))
                #expect(try await client.send(.post, "/api/v1/auth/totp/confirm", token: people.specialist, json: ["code": code]).status == .noContent)

                let without = try await client.send(
                    .post, "/api/v1/auth/login", json: ["username": "chuyenvien.test", "password": people.specialistPassword])
                #expect(without.status == .unauthorized)
                #expect(without.problem?.type.hasSuffix("otp-required") == true)
                // The code that confirmed enrolment cannot be replayed; the next step's code works.
                let replay = try await client.send(
                    .post, "/api/v1/auth/login",
                    json: ["username": "chuyenvien.test", "password": people.specialistPassword, "otp": code])
                #expect(replay.status == .unauthorized)
                let next = String(format: "%06d", TOTPTestCode.compute(secret: secret, at: now.addingTimeInterval(30)))

                // Turning it off needs the password as well as a code.
                let noPassword = try await client.send(.post, "/api/v1/auth/totp/disable", token: people.specialist, json: ["code": next])
                #expect(noPassword.status == .unprocessableContent)
                let badPassword = try await client.send(
                    .post, "/api/v1/auth/totp/disable", token: people.specialist, json: ["code": next, "password": "doan-thu"])
                #expect(badPassword.status == .forbidden)
                // Wrong codes are counted though each is refused (the refusal comes after the count is
                // committed): the replayed code above and four more make five, then the right one waits too.
                for _ in 1...4 {
                    let wrong = try await client.send(
                        .post, "/api/v1/auth/totp/disable", token: people.specialist, json: ["code": "000000", "password": people.specialistPassword])
                    #expect(wrong.status == .unprocessableContent)
                }
                let waiting = try await client.send(
                    .post, "/api/v1/auth/totp/disable", token: people.specialist, json: ["code": next, "password": people.specialistPassword])
                #expect(waiting.status == .tooManyRequests)
                try await harness.client.query("delete from login_failures where kind = 'code'")
                let off = try await client.send(
                    .post, "/api/v1/auth/totp/disable", token: people.specialist, json: ["code": next, "password": people.specialistPassword])
                #expect(off.status == .noContent)
                _ = try await client.login("chuyenvien.test", people.specialistPassword)
            }
        }
    }

    @Test func anAdminResetVoidsTheSessionsAndForcesAChangeAgain() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await Self.people(client)
                let me = try await client.send(.get, "/api/v1/me", token: people.specialist).decoded(MeResponse.self)
                let reset = try await client.send(.post, "/api/v1/users/\(me.id)/password-reset", token: people.admin)
                #expect(reset.status == .ok)
                let password = try reset.decoded(ResetPassword.self).initialPassword
                #expect(try await client.send(.get, "/api/v1/me", token: people.specialist).status == .unauthorized)
                let again = try await client.login("chuyenvien.test", password)
                #expect(again.mustChangePassword)
                // The old password is gone, and the new one must differ from the one-time one.
                let old = try await client.send(
                    .post, "/api/v1/auth/login", json: ["username": "chuyenvien.test", "password": people.specialistPassword])
                #expect(old.status == .unauthorized)
                let same = try await client.send(
                    .post, "/api/v1/auth/password", token: again.token, json: ["currentPassword": password, "newPassword": password])
                #expect(same.status == .unprocessableContent)
                #expect(same.problem?.errors?.map(\.message).contains("Mật khẩu mới phải khác mật khẩu cũ.") == true)
            }
        }
    }

    struct DirectoryPage: Decodable { var items: [DirectoryEntry]; var total: Int }
}

/// RFC 6238 computed independently of the code under test (HMAC-SHA1, dynamic truncation).
enum TOTPTestCode {
    static func compute(secret: String, at date: Date) -> Int {
        var counter = UInt64(date.timeIntervalSince1970 / 30).bigEndian
        let message = withUnsafeBytes(of: &counter) { Data($0) }
        let mac = Array(HMAC<Crypto.Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8))))
        let offset = Int(mac[19] & 0x0f)
        var value = UInt32(mac[offset] & 0x7f) << 24
        value |= UInt32(mac[offset + 1]) << 16
        value |= UInt32(mac[offset + 2]) << 8
        value |= UInt32(mac[offset + 3])
        return Int(value % 1_000_000)
    }
}
