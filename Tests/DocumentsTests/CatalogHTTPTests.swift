import Contracts
import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Documents

@Suite("Catalogs and units over HTTP against the real database", .serialized, .timeLimit(.minutes(3)))
struct CatalogHTTPTests {
    struct TypeRow: Decodable { var name: String; var abbreviation: String?; var isCopy: Bool }
    struct Agency: Codable { var code: String; var name: String; var active: Bool }

    @Test func everyDecree30TypeExistsAfterMigration() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                let types = try await client.send(.get, "/api/v1/document-types", token: people.specialist).decoded([TypeRow].self)
                let expected = DocumentTypeCatalog.decree30.map { "\($0.name)|\($0.abbreviation ?? "-")" }
                #expect(Set(types.map { "\($0.name)|\($0.abbreviation ?? "-")" }) == Set(expected))
                #expect(types.count == 32)
                #expect(types.first { $0.name == "Quy định" }?.abbreviation == "QyĐ")
                #expect(Set(types.filter(\.isCopy).compactMap(\.abbreviation)) == ["SY", "TS", "SL"])
            }
        }
    }

    @Test func deletingAUnitThatStillHasUsersIsRefusedSayingWhy() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                let unit = try await client.send(
                    .post, "/api/v1/units", token: people.admin,
                    json: FirstLoginJourneyTests.NewUnit(code: "TC", name: "Ban Tổ chức", abbreviation: "TC", parentId: nil)
                ).decoded(UnitView.self)
                _ = try await client.send(
                    .post, "/api/v1/users", token: people.admin,
                    json: FirstLoginJourneyTests.NewUser(
                        username: nil, fullName: "Nông Văn Dền", unitId: unit.id, position: "Trưởng ban", roles: ["unitLeader"],
                        permissions: [], phone: nil))
                let refused = try await client.send(.delete, "/api/v1/units/\(unit.id)", token: people.admin)
                #expect(refused.status == .conflict)
                #expect(refused.problem?.detail == "Không thể xóa đơn vị “Ban Tổ chức” vì còn 1 người dùng. Hãy chuyển sang đơn vị khác trước.")
                #expect(try await database.count("select count(*)::int from units where code = 'TC'") == 1)

                let empty = try await client.send(
                    .post, "/api/v1/units", token: people.admin,
                    json: FirstLoginJourneyTests.NewUnit(code: "TT", name: "Ban Tuyên giáo", abbreviation: "TG", parentId: nil)
                ).decoded(UnitView.self)
                #expect(try await client.send(.delete, "/api/v1/units/\(empty.id)", token: people.admin).status == .noContent)
            }
        }
    }

    @Test func agenciesAreUniqueByCodeAndStoredInNFC() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                // Typed in decomposed form (NFD), as some keyboards send it.
                let decomposed = "Ủy ban nhân dân tỉnh Cao Bằng".decomposedStringWithCanonicalMapping
                let created = try await client.send(
                    .post, "/api/v1/agencies", token: people.admin, json: Agency(code: "000.00.00.H10", name: decomposed, active: true))
                #expect(created.status == .created)
                #expect(try created.decoded(Agency.self).name.unicodeScalars.count == "Ủy ban nhân dân tỉnh Cao Bằng".unicodeScalars.count)
                let again = try await client.send(
                    .post, "/api/v1/agencies", token: people.admin, json: Agency(code: "000.00.00.H10", name: "Khác", active: true))
                #expect(again.status == .conflict)
                #expect(again.problem?.detail == "Đã có cơ quan trùng mã hoặc trùng tên.")
                let bad = try await client.send(
                    .post, "/api/v1/agencies", token: people.admin, json: Agency(code: "000 00", name: "Sai mã", active: true))
                #expect(bad.status == .unprocessableContent)
                #expect(bad.problem?.errors?.map(\.field) == ["code"])
            }
        }
    }

    @Test func aWardNeedsAnExistingDistrictAndHoldsItBack() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                struct District: Codable { var id: UUID?; var code: String; var name: String }
                struct Ward: Codable { var code: String; var name: String; var districtId: UUID }
                let district = try await client.send(
                    .post, "/api/v1/districts", token: people.admin, json: District(id: nil, code: "040", name: "Thành phố Cao Bằng")
                ).decoded(District.self)
                let orphan = try await client.send(
                    .post, "/api/v1/wards", token: people.admin, json: Ward(code: "01", name: "Phường Hợp Giang", districtId: UUID()))
                #expect(orphan.status == .conflict)
                let ward = try await client.send(
                    .post, "/api/v1/wards", token: people.admin,
                    json: Ward(code: "01", name: "Phường Hợp Giang", districtId: try #require(district.id)))
                #expect(ward.status == .created)
                let delete = try await client.send(.delete, "/api/v1/districts/\(try #require(district.id))", token: people.admin)
                #expect(delete.status == .conflict)
            }
        }
    }

    /// Electronic arrivals go into an active incoming register: closing, re-kinding or removing the last
    /// one (as a fuzzer with an admin token did) would leave every partner document nowhere to go.
    @Test func theLastRegisterInUseOfAKindCannotBeClosedRemovedOrReKinded() async throws {
        struct Register: Codable { var id: UUID?; var kind: String; var code: String; var name: String; var active: Bool }
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                let incoming = try await client.send(.get, "/api/v1/registers?kind=incoming", token: people.admin).decoded([Register].self)
                let den = try #require(incoming.first { $0.code == "DEN" })
                let id = try #require(den.id)
                var closed = den
                closed.active = false
                let refusedClose = try await client.send(.put, "/api/v1/registers/\(id)", token: people.admin, json: closed)
                #expect(refusedClose.status == .conflict)
                #expect(refusedClose.problem?.detail == "Phải còn ít nhất một sổ văn bản đến đang sử dụng: văn bản điện tử đến được vào sổ này.")
                var rekinded = den
                rekinded.kind = "outgoing"
                #expect(try await client.send(.put, "/api/v1/registers/\(id)", token: people.admin, json: rekinded).status == .conflict)
                #expect(try await client.send(.delete, "/api/v1/registers/\(id)", token: people.admin).status == .conflict)
                #expect(try await database.count("select count(*)::int from registers where code = 'DEN' and kind = 'incoming' and active") == 1)

                // With a second incoming register in use, DEN may close; then the second is the last.
                let second = try await client.send(
                    .post, "/api/v1/registers", token: people.admin,
                    json: Register(id: nil, kind: "incoming", code: "DEN2", name: "Sổ văn bản đến thứ hai", active: true)
                ).decoded(Register.self)
                #expect(try await client.send(.put, "/api/v1/registers/\(id)", token: people.admin, json: closed).status == .ok)
                #expect(try await client.send(.delete, "/api/v1/registers/\(try #require(second.id))", token: people.admin).status == .conflict)

                let outgoing = try await client.send(.get, "/api/v1/registers?kind=outgoing", token: people.admin).decoded([Register].self)
                var di = try #require(outgoing.first { $0.code == "DI" })
                di.active = false
                let refusedOutgoing = try await client.send(.put, "/api/v1/registers/\(try #require(di.id))", token: people.admin, json: di)
                #expect(refusedOutgoing.status == .conflict)
                #expect(refusedOutgoing.problem?.detail == "Phải còn ít nhất một sổ văn bản đi đang sử dụng: văn bản đi được cấp số trong sổ này.")
            }
        }
    }
}
