import AMQPClient
import Contracts
import Foundation
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@testable import Documents

/// Outgoing documents through the real database and broker: drafting, approval, issuance with the
/// real Signing service, delivery inside the agency and to another agency, numbering, recall.
@Suite("Outgoing documents, end to end", .serialized, .timeLimit(.minutes(3)))
struct OutgoingEndToEndTests {
    typealias O = Outgoing

    @Test func fromDraftToIssuedWithAReturnASignedFileAndBothKindsOfRecipient() async throws {
        let ourCode = IncomingEndToEndTests.ourCode()
        try await DocumentsHarness.with(us: AgencyRef(code: ourCode, name: "Liên đoàn Lao động tỉnh Cao Bằng")) { harness in
            let database = harness.database
            let partner = try await PartnerAgency.connect(name: "Ủy ban nhân dân tỉnh Cao Bằng")
            defer { Task { await partner.close() } }
            try await harness.application.test(.router) { client in
                let people = try await OutgoingOffice.make(client)
                let office = people.office
                #expect(
                    try await client.send(
                        .post, "/api/v1/agencies", token: office.admin, json: IncomingEndToEndTests.Agency(code: partner.code, name: partner.name)
                    ).status == .created)
                let decision = try await database.id("select id from document_types where abbreviation = 'QĐ'")
                let register = try await database.id("select id from registers where code = 'DI'")
                try await withSigningService {
                    try await withInbound(harness, ourCode: ourCode) { _ in
                        let created = try await client.expectOK(
                            .post, "/api/v1/outgoing", token: office.specialist,
                            json: O.Draft(
                                documentTypeId: decision, subject: "Quyết định kiện toàn Ban Chấp hành công đoàn cơ sở", files: [O.draftFile],
                                recipients: [O.Recipient(unitId: people.otherUnit), O.Recipient(agencyCode: partner.code)]),
                            as: O.Created.self)
                        let url = "/api/v1/outgoing/\(created.id)"
                        func act(_ token: String, _ action: O.Action) async throws -> O.Detail {
                            try await client.expectOK(.post, "\(url)/actions", token: token, json: action, as: O.Detail.self)
                        }
                        let leader = office.ids["leader"]!
                        _ = try await act(office.specialist, O.Action(action: "submit", to: leader))
                        let returned = try await act(office.leader, O.Action(action: "return", comment: "Bổ sung căn cứ Điều lệ Công đoàn"))
                        #expect(returned.state == "returned")
                        let mine = try await client.send(.get, "/api/v1/outgoing?box=returned", token: office.specialist)
                            .decoded(Page.self)
                        #expect(mine.items.map(\.id) == [created.id])
                        let revised = try await act(
                            office.specialist,
                            O.Action(action: "revise", files: [O.file("du-thao-v2.docx", Array("Dự thảo v2".utf8), type: "application/msword")]))
                        #expect(revised.files.filter { $0.kind == "draft" }.map(\.version) == [1, 2])
                        _ = try await act(office.specialist, O.Action(action: "submit", to: leader))
                        _ = try await act(office.leader, O.Action(action: "approve", to: office.ids["head"]))
                        let approved = try await act(office.head, O.Action(action: "approve", comment: "Đồng ý ban hành"))
                        #expect(approved.state == "approved")

                        // The clerk attaches the digitally signed PDF; the Signing service's verdict comes back.
                        let signed = try signingFixture("two-signatures.pdf")
                        _ = try await client.expectOK(
                            .post, "\(url)/final", token: office.clerk, json: ["file": O.file("qd-ky-so.pdf", signed)], as: O.Detail.self)
                        let verdict = try await eventually(timeout: .seconds(20)) { () -> String? in
                            let detail = try await client.send(.get, url, token: office.clerk).decoded(O.Detail.self)
                            return detail.files.first { $0.kind == "final" }?.verification.flatMap { $0 == "pending" ? nil : $0 }
                        }
                        #expect(verdict == "passed")

                        let issued = try await client.expectOK(
                            .post, "\(url)/issue", token: office.clerk,
                            json: O.Issue(registerId: register, signerName: "Trần Công Huân", signerPosition: "Chủ tịch"), as: O.Detail.self)
                        #expect(issued.state == "issued")
                        #expect(issued.number == 1)
                        #expect(issued.symbol == "01/QĐ-LĐLĐ")
                        #expect(issued.history.map(\.action) == [
                            "drafted", "submitted", "returned", "revised", "submitted", "approvedByUnit", "approved", "finalAttached", "issued",
                        ])
                        #expect(issued.history.first { $0.action == "returned" }?.comment == "Bổ sung căn cứ Điều lệ Công đoàn")

                        // Ban Tổ chức has it among its incoming documents at once.
                        let internalCopy = try #require(issued.recipients.first { $0.kind == "unit" }?.incomingId)
                        let pending = try await client.send(.get, "/api/v1/incoming?box=pending", token: people.otherLeader)
                            .decoded(IncomingEndToEndTests.Items.self)
                        #expect(pending.items.map(\.id) == [internalCopy])

                        // The other agency's queue has the document with its number and symbol.
                        let subject = "Quyết định kiện toàn Ban Chấp hành công đoàn cơ sở"
                        let consumer = try await partner.connection.consume(queue: Routes.inboundQueue(of: partner.code))
                        let delivered = try await collect(consumer, timeout: .seconds(15)) { deliveries in
                            deliveries.contains { (try? DocumentV1.decode($0.body))?.subject == subject && (try? DocumentV1.decode($0.body))?.from.code == ourCode }
                        }
                        await consumer.cancel()
                        let document = try #require(
                            delivered.compactMap { try? DocumentV1.decode($0.body) }.first { $0.subject == subject && $0.from.code == ourCode })
                        #expect(document.number == 1)
                        #expect(document.notation == "QĐ-LĐLĐ")
                        #expect(document.documentType == "QĐ")
                        #expect(document.attachments.first?.bytes == signed)
                        #expect(document.signer.name == "Trần Công Huân")

                        // Its replies show on the document. "accepted" comes first and "received", dated earlier, after
                        // it (replies are handled side by side, so either order happens): the later-dated one stays the
                        // recipient's status, and both are in the history. The older one used to be dead-lettered.
                        let acceptedAt = Date()
                        for (status, at) in [(DocumentStatus.accepted, acceptedAt), (.received, acceptedAt.addingTimeInterval(-60))] {
                            let reply = StatusV1(documentId: document.documentId, from: partner.ref, to: document.from, status: status, at: at)
                            try await partner.connection.publish(
                                try reply.encoded(), exchange: Routes.interAgencyExchange, routingKey: Routes.status(to: ourCode),
                                properties: AMQPProperties(
                                    messageID: UUID().uuidString, type: StatusV1.messageType, contentType: "application/json", timestamp: Date(),
                                    appID: "partner", userID: partner.code))
                            let action = "status.\(status.rawValue)"
                            _ = try await eventually(timeout: .seconds(30)) { () -> Bool? in
                                let detail = try await client.send(.get, url, token: office.specialist).decoded(O.Detail.self)
                                return detail.history.contains { $0.action == action } ? true : nil
                            }
                        }
                        nonisolated(unsafe) var last: O.Detail?
                        let accepted = try await eventually(timeout: .seconds(30)) { () -> O.Detail? in
                            let detail = try await client.send(.get, url, token: office.specialist).decoded(O.Detail.self)
                            last = detail
                            let recorded = Set(detail.history.map(\.action)).isSuperset(of: ["status.received", "status.accepted"])
                            return recorded && detail.recipients.first { $0.kind == "agency" }?.status == "accepted" ? detail : nil
                        }
                        let shown = try #require(accepted, "recipients \(last?.recipients.map { "\($0.kind) \($0.status ?? "-")" } ?? []), history \(last?.history.map(\.action) ?? [])")
                        #expect(Set(shown.history.suffix(2).map(\.action)) == ["status.received", "status.accepted"])
                        let issuedBox = try await client.send(.get, "/api/v1/outgoing?box=issued&q=kien%20toan%20BAN%20CHAP%20HANH", token: office.clerk)
                            .decoded(Page.self)
                        #expect(issuedBox.items.map(\.symbol) == ["01/QĐ-LĐLĐ"])
                    }
                }
            }
        }
    }

    @Test func fiftyConcurrentIssuancesNumberOneToFiftyAndANewYearStartsAtOne() async throws {
        try await DocumentsHarness.with(environment: ["IOFFICE_DIGITAL_SIGNATURES": "off"]) { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let people = try await OutgoingOffice.make(client)
                let office = people.office
                let letter = try await database.id("select id from document_types where name = 'Công văn'")
                let register = try await database.id("select id from registers where code = 'DI'")
                var ids: [UUID] = []
                for index in 1...51 {
                    let created = try await client.expectOK(
                        .post, "/api/v1/outgoing", token: office.specialist,
                        json: O.Draft(
                            documentTypeId: letter, subject: "Công văn số thứ tự \(index)", files: [O.draftFile],
                            recipients: [O.Recipient(userId: people.otherSpecialistId)]), as: O.Created.self)
                    ids.append(created.id)
                }
                // Approved, as the head would: this test is about numbering.
                try await database.execute("update outgoing_documents set state = 'approved', holder_id = null")
                for id in ids {
                    _ = try await client.expectOK(
                        .post, "/api/v1/outgoing/\(id)/final", token: office.clerk,
                        json: ["file": O.file("ban-quet.pdf", SampleDocuments.pdf)], as: O.Detail.self)
                }
                let today = CalendarDate(Date())
                let numbers = try await withThrowingTaskGroup(of: Int?.self) { group in
                    for id in ids.prefix(50) {
                        group.addTask {
                            try await client.expectOK(
                                .post, "/api/v1/outgoing/\(id)/issue", token: office.clerk,
                                json: O.Issue(registerId: register, issuedAt: today.description, signerName: "Trần Công Huân"), as: O.Detail.self
                            ).number
                        }
                    }
                    var numbers: [Int] = []
                    for try await number in group { numbers.append(try #require(number)) }
                    return numbers
                }
                #expect(numbers.sorted() == Array(1...50))
                let next = try await client.expectOK(
                    .post, "/api/v1/outgoing/\(ids[50])/issue", token: office.clerk,
                    json: O.Issue(registerId: register, issuedAt: "\(today.year + 1)-01-02", signerName: "Trần Công Huân"), as: O.Detail.self)
                #expect(next.number == 1)
                #expect(next.symbol == "01/LĐLĐ-VP")
                let book = try await client.send(.get, "/api/v1/outgoing/register?registerId=\(register)&year=\(today.year)", token: office.clerk)
                    .decoded(RegisterView.self)
                #expect(book.lines.map(\.number) == Array(1...50))
                #expect(book.lines.first?.recipients == ["Lục Thị Cán Bộ"])
                // From number 100 on, the symbol keeps every digit, in the register and in the lists alike
                // (SQL's lpad(number, 2) cut 123 to "12").
                try await database.execute("update outgoing_documents set number = number + 100 where issue_year = \(today.year)")
                let later = try await client.send(.get, "/api/v1/outgoing/register?registerId=\(register)&year=\(today.year)", token: office.clerk)
                    .decoded(RegisterView.self)
                #expect(later.lines.first?.symbol == "101/LĐLĐ-VP")
                #expect(later.lines.last?.symbol == "150/LĐLĐ-VP")
                let listed = try await client.send(.get, "/api/v1/outgoing?box=issued&perPage=100", token: office.clerk).decoded(Page.self)
                #expect(Set(listed.items.compactMap(\.symbol)) == Set((101...150).map { "\($0)/LĐLĐ-VP" } + ["01/LĐLĐ-VP"]))
            }
        }
    }

    @Test func aRecallIsAcceptedBeforeTheRecipientActsRefusedAfterAndReissueKeepsTheNumber() async throws {
        try await DocumentsHarness.with(environment: ["IOFFICE_DIGITAL_SIGNATURES": "off"]) { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let people = try await OutgoingOffice.make(client)
                let office = people.office
                let decision = try await database.id("select id from document_types where abbreviation = 'QĐ'")
                let register = try await database.id("select id from registers where code = 'DI'")
                let created = try await client.expectOK(
                    .post, "/api/v1/outgoing", token: office.specialist,
                    json: O.Draft(documentTypeId: decision, subject: "Quyết định cử cán bộ đi học", files: [O.draftFile],
                        recipients: [O.Recipient(unitId: people.otherUnit)]), as: O.Created.self)
                let url = "/api/v1/outgoing/\(created.id)"
                try await database.execute("update outgoing_documents set state = 'approved', holder_id = null")
                _ = try await client.expectOK(
                    .post, "\(url)/final", token: office.clerk, json: ["file": O.file("ban-quet.pdf", SampleDocuments.pdf)], as: O.Detail.self)
                let issue = O.Issue(registerId: register, signerName: "Trần Công Huân")
                let first = try await client.expectOK(.post, "\(url)/issue", token: office.clerk, json: issue, as: O.Detail.self)
                let firstCopy = try #require(first.recipients.first?.incomingId)

                // Nobody in Ban Tổ chức has acted: the recall is accepted and the copy withdrawn.
                let recalled = try await client.expectOK(
                    .post, "\(url)/recall", token: office.clerk, json: ["reason": "Sai tên cán bộ"], as: O.Detail.self)
                #expect(recalled.state == "recalled")
                #expect(recalled.recipients.first?.status == "recalled")
                #expect(try await client.send(.get, "/api/v1/incoming?box=pending", token: people.otherLeader)
                    .decoded(IncomingEndToEndTests.Items.self).items.isEmpty)
                #expect(try await database.count("select count(*)::int from incoming_documents where id = '\(firstCopy)' and state = 'recalledBySender'") == 1)

                // Fixed and issued again: the same number, a new copy.
                _ = try await client.expectOK(
                    .post, "\(url)/final", token: office.clerk, json: ["file": O.file("ban-quet-sua.pdf", SampleDocuments.pdf + [0x0a])],
                    as: O.Detail.self)
                let again = try await client.expectOK(.post, "\(url)/issue", token: office.clerk, json: issue, as: O.Detail.self)
                #expect(again.number == first.number)
                #expect(again.symbol == "01/QĐ-LĐLĐ")
                #expect(again.history.map(\.action).suffix(3) == ["recalledAfterIssue", "finalAttached", "reissued"])
                let copy = try #require(again.recipients.first?.incomingId)
                #expect(copy != firstCopy)

                // Ban Tổ chức's leader passes it on: now the recall is refused, naming the unit.
                let forwarded = try await client.send(
                    .post, "/api/v1/incoming/\(copy)/actions", token: people.otherLeader,
                    json: IncomingEndToEndTests.Action(action: "forward", to: [IncomingEndToEndTests.Target(userId: people.otherSpecialistId, role: "main")]))
                #expect(forwarded.status == .ok)
                let refused = try await client.send(.post, "\(url)/recall", token: office.clerk, json: ["reason": "Thử thu hồi lần nữa"])
                #expect(refused.status == .conflict)
                #expect(refused.problem?.detail?.contains("Ban Tổ chức") == true)
                #expect(try await client.send(.get, url, token: office.clerk).decoded(O.Detail.self).state == "issued")
            }
        }
    }

    @Test func aSecretDocumentNeverReachesTheExchange() async throws {
        let ourCode = IncomingEndToEndTests.ourCode()
        try await DocumentsHarness.with(environment: ["IOFFICE_DIGITAL_SIGNATURES": "off"], us: AgencyRef(code: ourCode, name: "Liên đoàn")) { harness in
            let database = harness.database
            let partner = try await PartnerAgency.connect(name: "Sở Nội vụ tỉnh Cao Bằng")
            defer { Task { await partner.close() } }
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                _ = try await client.send(
                    .post, "/api/v1/agencies", token: office.admin, json: IncomingEndToEndTests.Agency(code: partner.code, name: partner.name))
                let decision = try await database.id("select id from document_types where abbreviation = 'QĐ'")
                let register = try await database.id("select id from registers where code = 'DI'")
                // Asking for electronic-only changes nothing: a secret document goes on paper.
                let created = try await client.expectOK(
                    .post, "/api/v1/outgoing", token: office.specialist,
                    json: O.Draft(documentTypeId: decision, subject: "Quyết định về công tác bảo vệ bí mật", secrecy: "secret",
                        files: [O.draftFile], recipients: [O.Recipient(agencyCode: partner.code, paper: false)]), as: O.Created.self)
                let url = "/api/v1/outgoing/\(created.id)"
                try await database.execute("update outgoing_documents set state = 'approved', holder_id = null")
                try await withInbound(harness, ourCode: ourCode) { _ in
                    _ = try await client.expectOK(
                        .post, "\(url)/final", token: office.clerk, json: ["file": O.file("ban-quet.pdf", SampleDocuments.pdf)], as: O.Detail.self)
                    let issued = try await client.expectOK(
                        .post, "\(url)/issue", token: office.clerk, json: O.Issue(registerId: register, signerName: "Trần Công Huân"), as: O.Detail.self)
                    #expect(issued.state == "issued")
                    #expect(issued.recipients.map(\.delivery) == ["paperOnly"])
                    #expect(issued.recipients.map(\.status) == ["paper"])
                    #expect(try await database.count("select count(*)::int from outbox where message_type = 'document.v1'") == 0)
                    let consumer = try await partner.connection.consume(queue: Routes.inboundQueue(of: partner.code))
                    let delivered = try await collect(consumer, count: 1, timeout: .seconds(3))
                    await consumer.cancel()
                    #expect(delivered.isEmpty)
                }
                // The clerk's register shows its subject; the administrator's does not.
                let year = CalendarDate(Date()).year
                for (token, subject) in [(office.clerk, "Quyết định về công tác bảo vệ bí mật"), (office.admin, OutgoingQueries.secretSubject)] {
                    let book = try await client.send(.get, "/api/v1/outgoing/register?registerId=\(register)&year=\(year)", token: token)
                        .decoded(RegisterView.self)
                    #expect(book.lines.map(\.subject) == [subject])
                }
            }
        }
    }

    @Test func paperCannotBeDroppedWhereTheRulesRequireIt() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let people = try await OutgoingOffice.make(client)
                let plan = try await database.id("select id from document_types where abbreviation = 'KH'")
                let response = try await client.send(
                    .post, "/api/v1/outgoing", token: people.office.specialist,
                    json: O.Draft(documentTypeId: plan, subject: "Kế hoạch kinh phí năm 2027", flags: ["budget"], files: [O.draftFile],
                        recipients: [O.Recipient(unitId: people.otherUnit, paper: false)]))
                #expect(response.status == .unprocessableContent)
                #expect(response.problem?.errors?.first?.field == "recipients[0].paper")
                #expect(try await database.count("select count(*)::int from outgoing_documents") == 0)
                // A clerk cannot draft; nobody unauthenticated can list.
                #expect(try await client.send(.post, "/api/v1/outgoing", token: people.office.clerk, json: ["subject": "x"]).status == .forbidden)
                #expect(try await client.send(.get, "/api/v1/outgoing").status == .unauthorized)
            }
        }
    }

    struct Page: Decodable { var items: [Item]; var total: Int }
    struct Item: Decodable { var id: UUID; var symbol: String? }
    struct RegisterView: Decodable { var year: Int; var lines: [Line] }
    struct Line: Decodable { var number: Int; var symbol: String; var subject: String; var recipients: [String] }
}
