import AMQPClient
import Contracts
import Foundation
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@testable import Documents

/// Another agency's document through the real broker and database, from its queue to "finished".
@Suite("Incoming documents end to end", .serialized, .timeLimit(.minutes(3)))
struct IncomingEndToEndTests {
    struct Item: Decodable { var id: UUID; var arrivalNumber: Int; var subject: String; var overdue: Bool }
    struct Items: Decodable { var items: [Item]; var total: Int }
    struct Detail: Decodable { var id: UUID; var state: String; var actions: [String]; var history: [Step]; var attachments: [File] }
    struct Step: Decodable { var actor: String; var action: String; var comment: String? }
    struct File: Decodable { var id: UUID; var name: String; var size: Int }
    struct Agency: Encodable { var code: String; var name: String; var active = true }
    struct Target: Encodable { var userId: UUID?; var unitId: UUID?; var role: String }
    struct Action: Encodable { var action: String; var to: [Target]?; var deadline: Date?; var comment: String? }

    static func ourCode() -> String { "T" + UUID().uuidString.prefix(8).uppercased() + ".H11" }

    @Test func fromTheSendersQueueToFinishedWithEveryStatusBackInOrder() async throws {
        let ourCode = Self.ourCode()
        try await DocumentsHarness.with(us: AgencyRef(code: ourCode, name: "Liên đoàn")) { harness in
            let partner = try await PartnerAgency.connect(name: "Ủy ban nhân dân tỉnh Cao Bằng")
            defer { Task { await partner.close() } }
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                #expect(
                    try await client.send(.post, "/api/v1/agencies", token: office.admin, json: Agency(code: partner.code, name: partner.name))
                        .status == .created)
                try await withInbound(harness, ourCode: ourCode) { _ in
                    // The partner calls itself something else: the clerk sees the catalog's name for its code.
                    let document = SampleDocuments.document(from: AgencyRef(code: partner.code, name: "Văn phòng Chính phủ"), to: ourCode)
                    try await partner.send(try document.encoded(), to: ourCode)

                    // It reaches the clerk's pending box, registered as number 1 of the year.
                    let arrived = try await eventually {
                        try await client.send(.get, "/api/v1/incoming?box=pending", token: office.clerk).decoded(Items.self).items.first
                    }
                    let item = try #require(arrived)
                    #expect(item.arrivalNumber == 1)
                    #expect(item.subject == "V/v triển khai phần mềm quản lý văn bản điện tử")
                    #expect(try await harness.database.count(
                        "select count(*)::int from incoming_documents where sender_name = '\(partner.name)'") == 1)
                    let url = "/api/v1/incoming/\(item.id)"
                    let file = try #require(try await client.send(.get, url, token: office.clerk).decoded(Detail.self).attachments.first)
                    let pdf = try await client.send(.get, "\(url)/attachments/\(file.id)", token: office.clerk)
                    #expect(Array(pdf.body.readableBytesView) == SampleDocuments.pdf)
                    // Nobody else sees it before it is routed to them.
                    #expect(try await client.send(.get, url, token: office.specialist).status == .notFound)

                    func act(_ token: String, _ action: Action) async throws -> Detail {
                        let response = try await client.send(.post, "\(url)/actions", token: token, json: action)
                        guard response.status == .ok else { throw UnexpectedResponse(response) }
                        return try response.decoded(Detail.self)
                    }
                    _ = try await act(office.clerk, Action(action: "forward", to: [Target(userId: office.ids["head"], role: "main")]))
                    _ = try await act(
                        office.head,
                        Action(
                            action: "forward", to: [Target(unitId: office.unit, role: "main")], deadline: Date().addingTimeInterval(3 * 86_400),
                            comment: "Giao Văn phòng tham mưu"))
                    _ = try await act(
                        office.leader,
                        Action(
                            action: "forward",
                            to: [Target(userId: office.ids["specialist"], role: "main"), Target(userId: office.ids["colleague"], role: "co")],
                            comment: "Chủ trì, phối hợp"))
                    let pending = try await client.send(.get, "/api/v1/incoming?box=pending", token: office.specialist).decoded(Items.self)
                    #expect(pending.items.map(\.id) == [item.id])
                    let finished = try await act(office.specialist, Action(action: "finish", comment: "Đã triển khai tại cơ quan"))
                    #expect(finished.state == "finished")
                    #expect(finished.history.map(\.action) == ["received", "routed", "forwarded", "forwarded", "finished"])

                    let statuses = try await partner.statuses(count: 5).filter { $0.documentId == document.documentId }
                    #expect(statuses.map(\.status) == [.received, .accepted, .assigned, .processing, .completed])
                    #expect(statuses.allSatisfy { $0.from.code == ourCode })

                    // Search ignores diacritics and case; the head sees everything.
                    let found = try await client.send(.get, "/api/v1/search?q=trien%20khai%20PHAN%20MEM", token: office.head)
                        .decoded(Items.self)
                    #expect(found.items.map(\.id) == [item.id])
                    let processed = try await client.send(.get, "/api/v1/incoming?box=processed", token: office.leader).decoded(Items.self)
                    #expect(processed.items.map(\.id) == [item.id])
                }
            }
        }
    }

    @Test func badDocumentsAreRefusedOrDeadLetteredAndNothingIsStored() async throws {
        let ourCode = Self.ourCode()
        try await DocumentsHarness.with(us: AgencyRef(code: ourCode, name: "Liên đoàn")) { harness in
            let database = harness.database
            let partner = try await PartnerAgency.connect(name: "Sở Nội vụ tỉnh Cao Bằng")
            let stranger = try await PartnerAgency.connect(name: "Cơ quan lạ")
            defer { Task { await partner.close(); await stranger.close() } }
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                for agency in [partner, ] {
                    _ = try await client.send(.post, "/api/v1/agencies", token: office.admin, json: Agency(code: agency.code, name: agency.name))
                }
                // A second catalogued agency whose code the partner pretends to be.
                _ = try await client.send(.post, "/api/v1/agencies", token: office.admin, json: Agency(code: "000.00.00.H99", name: "Sở Tài chính"))
                try await withInbound(harness, ourCode: ourCode, limits: .init(attachmentBytes: 1024)) { connection in
                    let wrongHash = SampleDocuments.document(from: partner.ref, to: ourCode, sha256: String(repeating: "0", count: 64))
                    let secret = SampleDocuments.document(from: partner.ref, to: ourCode, secrecy: "confidential")
                    let oversize = SampleDocuments.document(from: partner.ref, to: ourCode, attachment: Array(repeating: 65, count: 2048))
                    let impostor = SampleDocuments.document(from: AgencyRef(code: "000.00.00.H99", name: "Sở Tài chính"), to: ourCode)
                    for document in [wrongHash, secret, oversize, impostor] {
                        try await partner.send(try document.encoded(), to: ourCode)
                    }
                    // Malformed JSON from a known sender, and a good document from a sender not in the catalog.
                    try await partner.send(Array("{\"documentId\": ".utf8), to: ourCode)
                    try await stranger.send(try SampleDocuments.document(from: stranger.ref, to: ourCode).encoded(), to: ourCode)

                    let statuses = try await partner.statuses(count: 4)
                    #expect(statuses.map(\.status) == [.rejected, .rejected, .rejected, .rejected])
                    let notes = Dictionary(statuses.map { ($0.documentId, $0.note ?? "") }) { a, _ in a }
                    #expect(notes[wrongHash.documentId]?.contains("SHA-256") == true)
                    #expect(notes[secret.documentId]?.contains("Văn bản mật") == true)
                    #expect(notes[oversize.documentId]?.contains("vượt quá") == true)
                    #expect(notes[impostor.documentId]?.contains("khác với tài khoản đã gửi") == true)

                    let dlq = try await connection.consume(queue: Routes.inboundQueue(of: ourCode) + ".dlq")
                    let dead = try await collect(dlq, count: 2, timeout: .seconds(15))
                    await dlq.cancel()
                    let reasons = dead.compactMap { $0.properties.headers["x-ioffice-error"] }.sorted()
                    #expect(reasons.count == 2)
                    #expect(reasons.contains { $0.contains("unknown sender") })
                    #expect(reasons.contains { $0.contains("document.v1") })
                    #expect(try await database.count("select count(*)::int from incoming_documents") == 0)
                    #expect(try await database.count("select count(*)::int from incoming_attachments") == 0)
                    #expect(try await database.count("select count(*)::int from rejected_messages") == 4)
                    let listed = try await client.send(.get, "/api/v1/rejected-messages", token: office.clerk)
                    #expect(listed.status == .ok)
                }
            }
        }
    }

    /// No open incoming register is the deployment's fault, not the sender's: the document waits in hand,
    /// keeping its attempts (the worker would otherwise dead-letter it after five, in about two seconds),
    /// and is registered once an admin opens one.
    @Test func aDocumentArrivingWhileNoIncomingRegisterIsOpenWaitsAndIsRegisteredOnceOneIs() async throws {
        let ourCode = Self.ourCode()
        try await DocumentsHarness.with(us: AgencyRef(code: ourCode, name: "Liên đoàn")) { harness in
            let database = harness.database
            let partner = try await PartnerAgency.connect(name: "Sở Xây dựng tỉnh Cao Bằng")
            defer { Task { await partner.close() } }
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                _ = try await client.send(.post, "/api/v1/agencies", token: office.admin, json: Agency(code: partner.code, name: partner.name))
                try await database.execute("update registers set active = false where kind = 'incoming'")
                try await withInbound(harness, ourCode: ourCode) { connection in
                    try await partner.send(try SampleDocuments.document(from: partner.ref, to: ourCode).encoded(), to: ourCode)
                    try await Task.sleep(for: .seconds(5))
                    let dlq = try await connection.consume(queue: Routes.inboundQueue(of: ourCode) + ".dlq")
                    let dead = try await collect(dlq, count: 1, timeout: .seconds(1))
                    await dlq.cancel()
                    #expect(dead.isEmpty, "dead-lettered: \(dead.compactMap { $0.properties.headers["x-ioffice-error"] })")
                    #expect(try await database.count("select count(*)::int from incoming_documents") == 0)

                    try await database.execute("update registers set active = true where code = 'DEN'")
                    let statuses = try await partner.statuses(count: 2, timeout: .seconds(20))
                    #expect(statuses.map(\.status) == [.received, .accepted])
                    #expect(try await database.count("select count(*)::int from incoming_documents where arrival_number = 1") == 1)
                }
            }
        }
    }

    @Test func aResendIsOneDocumentAndAChangedResendIsAConflict() async throws {
        let ourCode = Self.ourCode()
        try await DocumentsHarness.with(us: AgencyRef(code: ourCode, name: "Liên đoàn")) { harness in
            let database = harness.database
            let partner = try await PartnerAgency.connect(name: "Sở Y tế tỉnh Cao Bằng")
            defer { Task { await partner.close() } }
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                _ = try await client.send(.post, "/api/v1/agencies", token: office.admin, json: Agency(code: partner.code, name: partner.name))
                try await withInbound(harness, ourCode: ourCode) { _ in
                    var document = SampleDocuments.document(from: partner.ref, to: ourCode)
                    try await partner.send(try document.encoded(), to: ourCode)
                    // Resends come later than the first sending: wait for it to be registered, since the
                    // inbound queue handles several messages at once and would otherwise race them.
                    let first = try await partner.statuses(count: 2)
                    #expect(first.map(\.status) == [.received, .accepted])
                    try await partner.send(try document.encoded(), to: ourCode)
                    document.subject = "Nội dung đã sửa"
                    try await partner.send(try document.encoded(), to: ourCode)
                    let statuses = try await partner.statuses(count: 1)
                    #expect(statuses.map(\.status) == [.rejected])
                    #expect(statuses.last?.note?.contains("nội dung khác") == true)
                    #expect(try await database.count("select count(*)::int from incoming_documents") == 1)

                    // Nobody here acted on it yet: the sender's recall is honoured.
                    let recall = RecallV1(documentId: document.documentId, from: partner.ref, to: AgencyRef(code: ourCode, name: "x"), at: Date(), reason: "Gửi nhầm")
                    try await partner.send(try recall.encoded(), to: ourCode, type: RecallV1.messageType)
                    let answer = try await partner.statuses(count: 1)
                    #expect(answer.map(\.status) == [.recalled])
                }
            }
        }
    }

    @Test func aPartnersDocumentIdIsEchoedInEveryStatusExactlyAsItWroteItAndOurIdsGoOutInLowerCase() async throws {
        let ourCode = Self.ourCode()
        try await DocumentsHarness.with(us: AgencyRef(code: ourCode, name: "Liên đoàn")) { harness in
            let partner = try await PartnerAgency.connect(name: "Sở Tư pháp tỉnh Cao Bằng")
            defer { Task { await partner.close() } }
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                _ = try await client.send(.post, "/api/v1/agencies", token: office.admin, json: Agency(code: partner.code, name: partner.name))
                try await withInbound(harness, ourCode: ourCode) { _ in
                    // This partner writes its ids in upper case, and matches replies by string.
                    let document = SampleDocuments.document(from: partner.ref, to: ourCode)
                    let upper = document.documentId.uuidString.uppercased()
                    let sent = String(decoding: try document.encoded(), as: UTF8.self)
                    #expect(sent.contains(upper.lowercased()))  // our own encoding: lower case
                    try await partner.send(Array(sent.replacingOccurrences(of: upper.lowercased(), with: upper).utf8), to: ourCode)
                    let statuses = try await partner.rawStatuses(count: 2)
                    #expect(statuses.map { $0["status"] as? String } == ["received", "accepted"])
                    #expect(statuses.allSatisfy { $0["documentId"] as? String == upper })

                    // A later decision by a person (here a refusal) answers with the same spelling.
                    let arrived = try await eventually {
                        try await client.send(.get, "/api/v1/incoming?box=pending", token: office.clerk).decoded(Items.self).items.first
                    }
                    let item = try #require(arrived)
                    let response = try await client.send(
                        .post, "/api/v1/incoming/\(item.id)/actions", token: office.clerk, json: Action(action: "returnToSender", comment: "Sai thẩm quyền"))
                    #expect(response.status == .ok)
                    let refusal = try await partner.rawStatuses(count: 1)
                    #expect(refusal.first?["status"] as? String == "rejected")
                    #expect(refusal.first?["documentId"] as? String == upper)
                }
            }
        }
    }

    @Test func fiftyConcurrentRegistrationsNumberOneToFiftyWithoutGapOrRepeat() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let body = [
                    "senderName": "Công an tỉnh Cao Bằng", "issuedAt": CalendarDate(Date()).description, "documentType": "CV",
                    "subject": "Công văn giấy",
                ]
                struct Paper: Encodable {
                    var fields: [String: String]
                    var attachments: [[String: String]]
                    func encode(to encoder: any Encoder) throws {
                        var container = encoder.container(keyedBy: Key.self)
                        for (key, value) in fields { try container.encode(value, forKey: Key(key)) }
                        try container.encode(attachments, forKey: Key("attachments"))
                    }
                    struct Key: CodingKey {
                        var stringValue: String
                        var intValue: Int? { nil }
                        init(_ value: String) { stringValue = value }
                        init?(stringValue: String) { self.stringValue = stringValue }
                        init?(intValue: Int) { nil }
                    }
                }
                let paper = Paper(
                    fields: body,
                    attachments: [["name": "scan.pdf", "contentType": "application/pdf", "data": Data(SampleDocuments.pdf).base64EncodedString()]])
                let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 1...50 {
                        group.addTask {
                            let response = try await client.send(.post, "/api/v1/incoming", token: office.clerk, json: paper)
                            guard response.status == .created else { throw UnexpectedResponse(response) }
                            return try response.decoded(Registered.self).arrivalNumber
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(numbers.sorted() == Array(1...50))
            }
        }
    }
}
