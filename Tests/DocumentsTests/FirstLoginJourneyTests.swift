import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Documents

@Suite("Accounts over HTTP against the real database", .serialized, .timeLimit(.minutes(3)))
struct FirstLoginJourneyTests {
    struct NewUnit: Encodable { var code, name, abbreviation: String; var parentId: UUID? }
    struct NewUser: Encodable {
        var username: String?
        var fullName: String
        var unitId: UUID
        var position: String
        var roles: [String]
        var permissions: [String]
        var phone: String?
    }

    @Test func bootstrapAdminToFirstUserSeeingThemselves() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                // The bootstrap admin must change the one-time password before anything else.
                let first = try await client.login("admin", DocumentsHarness.adminPassword)
                #expect(first.mustChangePassword)
                let refused = try await client.send(.get, "/api/v1/me", token: first.token)
                #expect(refused.status == .forbidden)
                #expect(refused.problem?.type.hasSuffix("password-change-required") == true)

                let changed = try await client.send(
                    .post, "/api/v1/auth/password", token: first.token,
                    json: ["currentPassword": DocumentsHarness.adminPassword, "newPassword": "Quantri-moi-2026"])
                #expect(changed.status == .ok)
                let admin = try changed.decoded(TokenResponse.self)
                #expect(!admin.mustChangePassword)

                let unitResponse = try await client.send(
                    .post, "/api/v1/units", token: admin.token,
                    json: NewUnit(code: "VP", name: "Văn phòng", abbreviation: "VP", parentId: nil))
                #expect(unitResponse.status == .created)
                let unit = try unitResponse.decoded(UnitView.self)

                // No username given: the seed's rule suggests one from the full name and the unit.
                let userResponse = try await client.send(
                    .post, "/api/v1/users", token: admin.token,
                    json: NewUser(
                        username: nil, fullName: "Hoàng Thị Huỳnh", unitId: unit.id, position: "Chuyên viên",
                        roles: ["specialist"], permissions: ["sms.send"], phone: "0912 345 678"))
                #expect(userResponse.status == .created)
                let created = try userResponse.decoded(CreatedUser.self)
                #expect(created.username == "hoangthihuynh.vp")
                #expect(created.initialPassword.count >= 12)

                let userFirst = try await client.login("hoangthihuynh.vp", created.initialPassword)
                #expect(userFirst.mustChangePassword)
                let weak = try await client.send(
                    .post, "/api/v1/auth/password", token: userFirst.token,
                    json: ["currentPassword": created.initialPassword, "newPassword": "hoangthihuynh1"])
                #expect(weak.status == .unprocessableContent)
                #expect(weak.problem?.detail?.contains("tên đăng nhập") == true)
                let userToken = try await client.send(
                    .post, "/api/v1/auth/password", token: userFirst.token,
                    json: ["currentPassword": created.initialPassword, "newPassword": "Mua-thu-Ha-Noi-9"]
                ).decoded(TokenResponse.self)

                let me = try await client.send(.get, "/api/v1/me", token: userToken.token).decoded(MeResponse.self)
                #expect(me.username == "hoangthihuynh.vp")
                #expect(me.fullName == "Hoàng Thị Huỳnh")
                #expect(me.unit?.id == unit.id)
                #expect(me.unit?.name == "Văn phòng")
                #expect(me.roles == ["specialist"])
                #expect(me.permissions == ["sms.send"])

                // The usage log holds every step, in order.
                let log = try await client.send(.get, "/api/v1/usage-log?perPage=100", token: admin.token)
                    .decoded(UsageLogPage.self)
                let steps = log.items.reversed().map { "\($0.username) \($0.action)" }
                #expect(
                    steps == [
                        "system userCreated", "admin login", "admin passwordChanged", "admin unitCreated", "admin userCreated",
                        "hoangthihuynh.vp login", "hoangthihuynh.vp passwordChanged",
                    ])
                #expect(log.items.first { $0.action == "userCreated" && $0.username == "admin" }?.target == "hoangthihuynh.vp")

                // The change reached the outbox for Notify and Calendar: root unit, admin, VP, the new user.
                #expect(try await database.count("select count(*)::int from outbox where message_type = 'directory-user.v1'") == 2)
                #expect(try await database.count("select count(*)::int from outbox where message_type = 'directory-unit.v1'") == 2)
            }
        }
    }

    @Test func theUsageLogRefusesToBeRewritten() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            let client = harness.client
            await #expect(throws: (any Error).self) {
                try await client.query("update usage_log set username = 'someone else'")
            }
            await #expect(throws: (any Error).self) {
                try await client.query("delete from usage_log")
            }
            let remaining = try await database.count("select count(*)::int from usage_log")
            #expect(remaining == 1)
        }
    }

    struct UsageLogPage: Decodable {
        var items: [UsageLog.Entry]
        var total: Int
    }
}
