import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@testable import Notify

/// Thông báo khẩn over HTTP against the real database: sent by a holder of news.publish, heard at once
/// by every open stream, shown to each person until they acknowledge it or it expires, and its sender
/// sees who acknowledged.
@Suite("Urgent notices (thông báo khẩn)", .serialized, .timeLimit(.minutes(3)))
struct UrgentNoticeTests {
    struct Notice: Decodable { var id: UUID; var text: String; var acknowledgedBy: [UUID]? }
    /// As a client sends it: the time in ISO 8601.
    struct Input: Encodable {
        var text: String
        var until: String
        init(text: String, until: Date) {
            self.text = text
            self.until = until.formatted(.iso8601)
        }
    }

    @Test func sentToEveryoneShownUntilAcknowledgedAndTheSenderSeesWho() async throws {
        try await NotifyFeaturesTests().withOffice { harness, client, tokens in
            let events = InboxEvents(client: harness.database, logger: notifyLogger)
            let listening = Task { try await events.run() }
            defer { listening.cancel() }
            try await Task.sleep(for: .milliseconds(300))
            let heard = try #require(await events.subscribe(NotifyFeaturesTests.specialist))

            let soon = Date().addingTimeInterval(3_600)
            let text = "Bão số 9 đổ bộ: cơ quan nghỉ làm việc chiều nay"
            #expect(try await client.call(.post, "/api/v1/urgent", token: tokens["specialist"]!, json: Input(text: text, until: soon)).status == .forbidden)
            #expect(try await client.call(.post, "/api/v1/urgent", token: tokens["clerk"]!, json: Input(text: text, until: Date().addingTimeInterval(-60))).status == .unprocessableContent)
            #expect(try await client.call(.post, "/api/v1/urgent", token: tokens["clerk"]!, json: Input(text: " ", until: soon)).status == .unprocessableContent)
            let sent = try await client.call(.post, "/api/v1/urgent", token: tokens["clerk"]!, json: Input(text: text, until: soon))
            #expect(sent.status == .created)
            let notice = try sent.json(Notice.self)
            var iterator = heard.makeAsyncIterator()
            #expect(await iterator.next() == .urgent)

            #expect(try await client.call(.get, "/api/v1/urgent", token: tokens["specialist"]!).json([Notice].self).map(\.text) == [text])
            #expect(try await client.call(.post, "/api/v1/urgent/\(notice.id)/ack", token: tokens["specialist"]!).status == .noContent)
            #expect(try await client.call(.post, "/api/v1/urgent/\(notice.id)/ack", token: tokens["specialist"]!).status == .noContent)
            #expect(try await client.call(.post, "/api/v1/urgent/\(UUID())/ack", token: tokens["specialist"]!).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/urgent", token: tokens["specialist"]!).json([Notice].self).isEmpty)
            #expect(try await client.call(.get, "/api/v1/urgent", token: tokens["head"]!).json([Notice].self).count == 1)
            let mine = try await client.call(.get, "/api/v1/urgent?view=sent", token: tokens["clerk"]!).json([Notice].self)
            #expect(mine.first?.acknowledgedBy == [NotifyFeaturesTests.specialist])

            // Expired: shown to nobody.
            try await harness.database.query("update urgent_notices set until = now() - interval '1 minute'")
            #expect(try await client.call(.get, "/api/v1/urgent", token: tokens["head"]!).json([Notice].self).isEmpty)
        }
    }
}
