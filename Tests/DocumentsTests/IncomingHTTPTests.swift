import Contracts
import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Documents

/// Paper documents through the HTTP API against the real database: who sees what, what each step adds.
@Suite("Incoming documents over HTTP", .serialized, .timeLimit(.minutes(3)))
struct IncomingHTTPTests {
    typealias Items = IncomingEndToEndTests.Items
    typealias Detail = IncomingEndToEndTests.Detail
    typealias Action = IncomingEndToEndTests.Action

    static func register(_ client: some TestClientProtocol, _ office: Office, subject: String, urgency: String = "normal") async throws -> UUID {
        let body: [String: AnyEncodable] = [
            "senderName": .init("Sở Nội vụ tỉnh Cao Bằng"), "issuedAt": .init(CalendarDate(Date()).description),
            "documentType": .init("CV"), "subject": .init(subject), "urgency": .init(urgency), "notation": .init("SNV-TCBC"),
            "number": .init(15),
            "attachments": .init([["name": "scan.pdf", "contentType": "application/pdf", "data": Data(SampleDocuments.pdf).base64EncodedString()]]),
        ]
        let response = try await client.send(.post, "/api/v1/incoming", token: office.clerk, json: body)
        guard response.status == .created else { throw UnexpectedResponse(response) }
        return try response.decoded(Registered.self).id
    }

    @Test func eachPersonSeesWhatReachedThemAndALeaderWhatReachedTheUnit() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let id = try await Self.register(client, office, subject: "Kế hoạch tuyển dụng viên chức năm 2026")
                let other = try await Self.register(client, office, subject: "Thông báo lịch tiếp công dân")
                let url = "/api/v1/incoming/\(id)"
                // Routed straight to the head, then to the specialist; the leader of the specialist's unit sees it too.
                _ = try await client.send(.post, "\(url)/actions", token: office.clerk, json: Action(action: "forward", to: [.init(userId: office.ids["head"], role: "main")]))
                let forwarded = try await client.send(
                    .post, "\(url)/actions", token: office.head,
                    json: ForwardWithFile(
                        action: "forward", to: [.init(userId: office.ids["specialist"], role: "main"), .init(userId: office.ids["colleague"], role: "info")],
                        comment: "Đề nghị tham mưu",
                        attachments: [["name": "Ý kiến.docx", "contentType": "application/msword", "data": Data("ý kiến".utf8).base64EncodedString()]]))
                #expect(forwarded.status == .ok)
                #expect(try forwarded.decoded(Detail.self).attachments.map(\.name) == ["scan.pdf", "Ý kiến.docx"])

                #expect(try await client.send(.get, url, token: office.specialist).status == .ok)
                #expect(try await client.send(.get, url, token: office.leader).status == .ok)
                #expect(try await client.send(.get, "/api/v1/incoming/\(other)", token: office.leader).status == .notFound)
                let info = try await client.send(.get, "/api/v1/incoming?box=info", token: office.colleague).decoded(Items.self)
                #expect(info.items.map(\.id) == [id])
                let search = try await client.send(.get, "/api/v1/search?q=tiep%20cong%20dan", token: office.specialist).decoded(Items.self)
                #expect(search.total == 0)
                let all = try await client.send(.get, "/api/v1/search?q=tiep%20cong%20dan", token: office.clerk).decoded(Items.self)
                #expect(all.items.map(\.id) == [other])

                // The specialist saves it and makes a task; the head can no longer take the forward back.
                let saved = try await client.send(.post, "\(url)/actions", token: office.specialist, json: ["action": "saveToDossier", "dossier": "Tuyển dụng 2026"])
                #expect(saved.status == .ok)
                // "Lưu hồ sơ" is read back: the specialist's dossier of that name holds the document.
                struct Dossier: Decodable { var id: UUID; var name: String; var entries: Int }
                struct Held: Decodable { var items: [Item]; struct Item: Decodable { var kind: String; var itemId: UUID } }
                let dossiers = try await client.send(.get, "/api/v1/dossiers", token: office.specialist).decoded([Dossier].self)
                let kept = try #require(dossiers.first { $0.name == "Tuyển dụng 2026" })
                #expect(kept.entries == 1)
                let held = try await client.send(.get, "/api/v1/dossiers/\(kept.id)", token: office.specialist).decoded(Held.self)
                #expect(held.items.map(\.itemId) == [id] && held.items.map(\.kind) == ["incoming"])
                let recall = try await client.send(.post, "\(url)/actions", token: office.head, json: ["action": "recall"])
                #expect(recall.status == .conflict)
                #expect(recall.problem?.detail == "Người nhận đã xử lý văn bản, không thể thu hồi.")
                let counts = try await client.send(.get, "/api/v1/incoming/counts", token: office.specialist).decoded([String: Int].self)
                #expect(counts == ["pending": 1, "processed": 0, "info": 0, "overdue": 0])
            }
        }
    }

    @Test func listsFilterByUrgencyAndRegisterAndRefuseBadSteps() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let urgent = try await Self.register(client, office, subject: "Công điện khẩn phòng chống lũ", urgency: "flash")
                _ = try await Self.register(client, office, subject: "Báo cáo thường kỳ")
                let flash = try await client.send(.get, "/api/v1/incoming?box=pending&urgency=flash", token: office.clerk).decoded(Items.self)
                #expect(flash.items.map(\.id) == [urgent])
                let page = try await client.send(.get, "/api/v1/incoming?box=pending&perPage=1&page=2", token: office.clerk).decoded(Items.self)
                #expect(page.total == 2)
                #expect(page.items.count == 1)

                let url = "/api/v1/incoming/\(urgent)/actions"
                let noMain = try await client.send(.post, url, token: office.clerk, json: Action(action: "forward", to: [.init(userId: office.ids["head"], role: "co")]))
                #expect(noMain.status == .unprocessableContent)
                #expect(noMain.problem?.detail == "Phải có đúng một người (hoặc đơn vị) xử lý chính.")
                let notClerk = try await client.send(.post, url, token: office.head, json: Action(action: "finish", comment: "x"))
                #expect(notClerk.status == .forbidden)
                let unknown = try await client.send(.post, url, token: office.clerk, json: ["action": "approve"])
                #expect(unknown.status == .unprocessableContent)
                let specialistRegisters = try await client.send(
                    .post, "/api/v1/incoming", token: office.specialist,
                    json: ["senderName": "x", "issuedAt": "2026-01-01", "documentType": "CV", "subject": "x"])
                #expect(specialistRegisters.status == .forbidden)
            }
        }
    }

    struct ForwardWithFile: Encodable {
        var action: String
        var to: [IncomingEndToEndTests.Target]
        var comment: String
        var attachments: [[String: String]]
    }
}
