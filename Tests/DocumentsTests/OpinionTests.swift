import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Documents

/// Lấy ý kiến over HTTP against the real database: people and whole units asked, each told, each
/// answering their own, the asker seeing every answer and who has not answered, nobody else anything.
@Suite("Opinion requests (lấy ý kiến)", .serialized, .timeLimit(.minutes(3)))
struct OpinionTests {
    struct Request: Encodable {
        var subject: String
        var question: String?
        var askedUserIds: [UUID]?
        var askedUnitIds: [UUID]?
        var deadline: String
    }
    struct View: Decodable { var id: UUID; var asked: Int; var answered: Int; var answers: [Answer]? }
    struct Answer: Decodable { var userId: UUID; var text: String?; var late: Bool }

    @Test func aUnitIsAskedEachAnswersTheirOwnAndTheAskerSeesWhoHasNot() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                // chuyenvien.test, whom Office.make made in another unit, with the password it set.
                let outsider = try await client.login("chuyenvien.test", "Song-Hong-2026").token
                let colleague = try #require(office.ids["colleague"])
                let deadline = Date().addingTimeInterval(86_400).formatted(.iso8601)
                let base = Request(subject: "Dự thảo quy chế làm việc", question: "Đề nghị góp ý điều 5", askedUnitIds: [office.unit], deadline: deadline)

                var bad = base
                bad.deadline = Date().addingTimeInterval(-60).formatted(.iso8601)
                #expect(try await client.send(.post, "/api/v1/opinions", token: office.specialist, json: bad).status == .unprocessableContent)
                bad = base
                bad.askedUnitIds = nil
                bad.askedUserIds = [UUID()]
                #expect(try await client.send(.post, "/api/v1/opinions", token: office.specialist, json: bad).status == .unprocessableContent)

                let created = try await client.send(.post, "/api/v1/opinions", token: office.specialist, json: base)
                #expect(created.status == .created)
                let request = try created.decoded(View.self)
                #expect(request.asked == 4, "clerk, head, leader and colleague: the unit but the asker")
                #expect(try await database.count(
                    "select count(*)::int from outbox where message_type = 'notification-request.v1' and convert_from(body, 'UTF8') like '%Xin ý kiến%'") == 1)

                let url = "/api/v1/opinions/\(request.id)"
                #expect(try await client.send(.get, "/api/v1/opinions?view=asked", token: office.colleague).decoded([View].self).map(\.id) == [request.id])
                #expect(try await client.send(.get, url, token: outsider).status == .notFound)
                #expect(try await client.send(.post, "\(url)/reply", token: outsider, json: ["text": "Xen vào"]).status == .notFound)
                #expect(try await client.send(.post, "\(url)/reply", token: office.colleague, json: ["text": "  "]).status == .unprocessableContent)
                let answered = try await client.send(.post, "\(url)/reply", token: office.colleague, json: ["text": "Đồng ý, đề nghị bổ sung khoản 3"]).decoded(View.self)
                #expect(answered.answers?.map(\.userId) == [colleague], "an asked person sees their own answer only")

                let seen = try await client.send(.get, url, token: office.specialist).decoded(View.self)
                #expect(seen.answered == 1 && seen.answers?.count == 4)
                #expect(seen.answers?.filter { $0.text != nil }.map(\.userId) == [colleague])
                #expect(try await client.send(.get, "/api/v1/opinions?view=mine", token: office.specialist).decoded([View].self).count == 1)
            }
        }
    }
}
