import Contracts
import Foundation
import HummingbirdTesting
import Testing
import TestSupport

@testable import Documents

/// Decree 30/2020: the clerk checks the signatures of electronic arrivals. Every arriving PDF goes to
/// the real Signing service; a failed verdict shows on the file, and the clerk sends the document back.
@Suite("Signatures of arriving documents", .serialized, .timeLimit(.minutes(3)))
struct ArrivalSignatureTests {
    struct Detail: Decodable { var state: String; var actions: [String]; var attachments: [File] }
    struct File: Decodable { var name: String; var verification: String?; var verificationNote: String? }

    @Test func aTamperedArrivalIsFlaggedAndReturnedToTheSenderWithTheReason() async throws {
        let ourCode = IncomingEndToEndTests.ourCode()
        try await DocumentsHarness.with(us: AgencyRef(code: ourCode, name: "Liên đoàn")) { harness in
            let partner = try await PartnerAgency.connect(name: "Sở Tài chính tỉnh Cao Bằng")
            defer { Task { await partner.close() } }
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                _ = try await client.send(
                    .post, "/api/v1/agencies", token: office.admin, json: IncomingEndToEndTests.Agency(code: partner.code, name: partner.name))
                try await withSigningService {
                    try await withInbound(harness, ourCode: ourCode) { _ in
                        let good = SampleDocuments.document(from: partner.ref, to: ourCode, subject: "Văn bản ký số hợp lệ", attachment: try signingFixture("two-signatures.pdf"))
                        let bad = SampleDocuments.document(from: partner.ref, to: ourCode, subject: "Văn bản bị sửa sau khi ký", attachment: try signingFixture("tampered.pdf"))
                        try await partner.send(try good.encoded(), to: ourCode)
                        try await partner.send(try bad.encoded(), to: ourCode)
                        _ = try await partner.statuses(count: 4)

                        func verdicts() async throws -> [String: String]? {
                            let items = try await client.send(.get, "/api/v1/incoming?box=pending", token: office.clerk)
                                .decoded(IncomingEndToEndTests.Items.self).items
                            var found: [String: String] = [:]
                            for item in items {
                                let detail = try await client.send(.get, "/api/v1/incoming/\(item.id)", token: office.clerk).decoded(Detail.self)
                                guard let verdict = detail.attachments.first?.verification, verdict != "pending" else { return nil }
                                found[item.subject] = verdict
                            }
                            return found.count == 2 ? found : nil
                        }
                        let found = try await eventually(timeout: .seconds(20)) { try await verdicts() }
                        #expect(found == ["Văn bản ký số hợp lệ": "passed", "Văn bản bị sửa sau khi ký": "failed"])

                        let items = try await client.send(.get, "/api/v1/incoming?box=pending", token: office.clerk)
                            .decoded(IncomingEndToEndTests.Items.self).items
                        let tampered = try #require(items.first { $0.subject == "Văn bản bị sửa sau khi ký" })
                        let url = "/api/v1/incoming/\(tampered.id)"
                        let before = try await client.send(.get, url, token: office.clerk).decoded(Detail.self)
                        #expect(before.actions.contains("returnToSender"))
                        #expect(before.attachments.first?.verificationNote?.isEmpty == false)
                        // Only a clerk returns it, and only with a reason.
                        #expect(try await client.send(
                            .post, "\(url)/actions", token: office.head, json: IncomingEndToEndTests.Action(action: "returnToSender", comment: "x")
                        ).status == .forbidden)
                        let reason = "Chữ ký số không hợp lệ: nội dung đã bị thay đổi sau khi ký."
                        let returned = try await client.send(
                            .post, "\(url)/actions", token: office.clerk, json: IncomingEndToEndTests.Action(action: "returnToSender", comment: reason))
                        #expect(returned.status == .ok)
                        #expect(try returned.decoded(Detail.self).state == "returnedToSender")
                        let statuses = try await partner.statuses(count: 1)
                        #expect(statuses.map(\.status) == [.rejected])
                        #expect(statuses.first?.documentId == bad.documentId)
                        #expect(statuses.first?.note == reason)
                    }
                }
            }
        }
    }
}
