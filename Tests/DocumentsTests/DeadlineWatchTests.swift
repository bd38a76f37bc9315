import Contracts
import Foundation
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing

@testable import Documents

@Suite("Deadline reminders against the real database", .serialized, .timeLimit(.minutes(3)))
struct DeadlineWatchTests {
    @Test func eachPartGetsOneDueSoonAndOneOverdueReminder() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let paper: [String: AnyEncodable] = [
                    "senderName": .init("Công an tỉnh"), "issuedAt": .init(CalendarDate(Date()).description), "documentType": .init("CV"),
                    "subject": .init("Báo cáo an ninh trật tự"),
                    "attachments": .init([["name": "scan.pdf", "contentType": "application/pdf", "data": Data(SampleDocuments.pdf).base64EncodedString()]]),
                ]
                let registered = try await client.send(.post, "/api/v1/incoming", token: office.clerk, json: paper).decoded(Registered.self)
                let deadline = Date().addingTimeInterval(2 * 3600)
                let routed = try await client.send(
                    .post, "/api/v1/incoming/\(registered.id)/actions", token: office.clerk,
                    json: IncomingEndToEndTests.Action(
                        action: "forward", to: [.init(userId: office.ids["head"], role: "main")], deadline: deadline))
                #expect(routed.status == .ok)

                let watch = DeadlineWatch(client: harness.client, logger: testLogger)
                #expect(try await watch.scan(at: Date()) == 1)
                #expect(try await watch.scan(at: Date()) == 0)
                #expect(try await watch.scan(at: deadline.addingTimeInterval(60)) == 1)
                #expect(try await watch.scan(at: deadline.addingTimeInterval(3600)) == 0)

                var requests: [NotificationRequestV1] = []
                let rows = try await harness.client.query(
                    "select body from outbox where message_type = 'notification-request.v1' and convert_from(body, 'UTF8') like '%hạn%' order by id")
                for try await body in rows.decode(ByteBuffer.self) {
                    requests.append(try NotificationRequestV1.decode(Array(body.readableBytesView)))
                }
                #expect(requests.map(\.title) == ["Văn bản sắp đến hạn xử lý", "Văn bản quá hạn xử lý"])
                #expect(requests.allSatisfy { $0.recipients == [office.ids["head"]!] })
                #expect(requests.map(\.channels) == [[.inApp], [.inApp, .sms]])
                #expect(try await database.count("select count(*)::int from deadline_reminders") == 2)
            }
        }
    }
}

/// Any encodable value, for JSON bodies of mixed types.
struct AnyEncodable: Encodable {
    let encodeValue: (any Encoder) throws -> Void
    init<T: Encodable>(_ value: T) { encodeValue = value.encode }
    func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
