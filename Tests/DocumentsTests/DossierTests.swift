import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Documents

/// Hồ sơ công việc over HTTP against the real database: a person's tree, a unit's tree, sharing, moving
/// without cycles, closing, and a dossier that never shows its reader what they could not open.
@Suite("Work dossiers (hồ sơ công việc)", .serialized, .timeLimit(.minutes(3)))
struct DossierTests {
    struct Dossier: Decodable { var id: UUID; var name: String; var parentId: UUID?; var access: String; var closed: Bool; var entries: Int; var children: [Dossier]? }
    struct Detail: Decodable { var dossier: Dossier; var items: [Entry] }
    struct Entry: Decodable { var id: UUID; var kind: String; var itemId: UUID; var title: String }
    struct New: Encodable { var name: String; var parentId: UUID? = nil; var unitId: UUID? = nil }
    struct Change: Encodable { var name: String; var parentId: UUID?; var closed: Bool }
    struct Task: Decodable { var id: UUID }

    @Test func aPersonsTreeIsTheirsUntilSharedAndNeverLoops() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let colleague = try #require(office.ids["colleague"])
                let top = try await client.send(.post, "/api/v1/dossiers", token: office.specialist, json: New(name: "Triển khai phần mềm")).decoded(Dossier.self)
                let child = try await client.send(
                    .post, "/api/v1/dossiers", token: office.specialist, json: New(name: "Tài liệu họp", parentId: top.id)).decoded(Dossier.self)
                #expect(try await client.send(.post, "/api/v1/dossiers", token: office.specialist, json: New(name: "tài liệu họp", parentId: top.id)).status == .conflict)
                #expect(try await client.send(.post, "/api/v1/dossiers", token: office.specialist, json: New(name: "  ")).status == .unprocessableContent)
                let tree = try await client.send(.get, "/api/v1/dossiers?tree=true", token: office.specialist).decoded([Dossier].self)
                #expect(tree.map(\.name) == ["Triển khai phần mềm"] && tree.first?.children?.map(\.id) == [child.id])

                // Not the colleague's, until shared; shared means read only.
                #expect(try await client.send(.get, "/api/v1/dossiers/\(top.id)", token: office.colleague).status == .notFound)
                #expect(try await client.send(.post, "/api/v1/dossiers", token: office.colleague, json: New(name: "Lén", parentId: top.id)).status == .unprocessableContent)
                let shared = try await client.send(.post, "/api/v1/dossiers/\(top.id)/share", token: office.specialist, json: ["userIds": [colleague]])
                #expect(shared.status == .ok)
                #expect(try await client.send(.get, "/api/v1/dossiers/\(top.id)", token: office.colleague).decoded(Detail.self).dossier.access == "read")
                let mine = try await client.send(.post, "/api/v1/tasks", token: office.colleague, json: ["title": "Việc riêng", "assigneeId": colleague.uuidString])
                    .decoded(Task.self)
                #expect(try await client.send(.post, "/api/v1/dossiers/\(top.id)/items", token: office.colleague, json: ["taskId": mine.id]).status == .forbidden)
                #expect(try await client.send(.post, "/api/v1/dossiers/\(top.id)/share", token: office.colleague, json: ["userIds": [UUID]()]).status == .forbidden)

                // Moving a dossier under its own child is refused; closing stops filing.
                let loop = try await client.send(.put, "/api/v1/dossiers/\(top.id)", token: office.specialist, json: Change(name: "Triển khai phần mềm", parentId: child.id, closed: false))
                #expect(loop.status == .unprocessableContent)
                let task = try await client.send(.post, "/api/v1/tasks", token: office.specialist, json: ["title": "Soạn kế hoạch", "assigneeId": try #require(office.ids["specialist"]).uuidString])
                    .decoded(Task.self)
                #expect(try await client.send(.post, "/api/v1/dossiers/\(child.id)/items", token: office.specialist, json: ["taskId": task.id]).status == .created)
                #expect(try await client.send(.post, "/api/v1/dossiers/\(child.id)/items", token: office.specialist, json: ["taskId": mine.id]).status == .unprocessableContent, "a task one cannot see")
                let closed = try await client.send(.put, "/api/v1/dossiers/\(child.id)", token: office.specialist, json: Change(name: "Tài liệu họp (đã xong)", parentId: top.id, closed: true))
                #expect(try closed.decoded(Dossier.self).closed)
                #expect(try await client.send(.post, "/api/v1/dossiers/\(child.id)/items", token: office.specialist, json: ["taskId": task.id]).status == .conflict)
                let held = try await client.send(.get, "/api/v1/dossiers/\(child.id)", token: office.specialist).decoded(Detail.self)
                #expect(held.items.map(\.title) == ["Soạn kế hoạch"])
            }
        }
    }

    @Test func aUnitsDossierIsKeptByItsLeaderFilledByItsMembersAndShowsEachOnlyWhatTheyMaySee() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let specialist = try #require(office.ids["specialist"])
                #expect(try await client.send(.post, "/api/v1/dossiers", token: office.specialist, json: New(name: "Hồ sơ đơn vị", unitId: office.unit)).status == .forbidden)
                let unit = try await client.send(.post, "/api/v1/dossiers", token: office.leader, json: New(name: "Hồ sơ thi đua 2026", unitId: office.unit))
                    .decoded(Dossier.self)
                #expect(try await client.send(.get, "/api/v1/dossiers/\(unit.id)", token: office.colleague).decoded(Detail.self).dossier.access == "file")
                let task = try await client.send(.post, "/api/v1/tasks", token: office.specialist, json: ["title": "Báo cáo thi đua", "assigneeId": specialist.uuidString])
                    .decoded(Task.self)
                let filed = try await client.send(.post, "/api/v1/dossiers/\(unit.id)/items", token: office.specialist, json: ["taskId": task.id])
                #expect(filed.status == .created)
                // The colleague keeps the unit's dossier with the specialist, but may not open the specialist's task.
                #expect(try await client.send(.get, "/api/v1/dossiers/\(unit.id)", token: office.specialist).decoded(Detail.self).items.count == 1)
                #expect(try await client.send(.get, "/api/v1/dossiers/\(unit.id)", token: office.colleague).decoded(Detail.self).items.isEmpty)
                // Only the leader renames or closes it.
                #expect(try await client.send(.put, "/api/v1/dossiers/\(unit.id)", token: office.specialist, json: Change(name: "Khác", parentId: nil, closed: true)).status == .forbidden)
                #expect(try await client.send(.put, "/api/v1/dossiers/\(unit.id)", token: office.leader, json: Change(name: "Thi đua 2026", parentId: nil, closed: false)).status == .ok)
                let entry = try #require(try filed.decoded(Entry.self).id as UUID?)
                #expect(try await client.send(.delete, "/api/v1/dossiers/\(unit.id)/items/\(entry)", token: office.colleague).status == .noContent)
            }
        }
    }
}
