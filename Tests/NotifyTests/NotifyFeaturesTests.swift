import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@testable import Notify

/// Executive information, the news board and chat over HTTP against the real database.
@Suite("Executive information, news board and chat", .serialized, .timeLimit(.minutes(3)))
struct NotifyFeaturesTests {
    static let unit = UUID()
    static let (head, clerk, specialist, outsider) = (UUID(), UUID(), UUID(), UUID())

    func withOffice(_ body: @escaping @Sendable (NotifyHarness, any TestClientProtocol, [String: String]) async throws -> Void) async throws {
        try await withFreshSchema(component: "notify", migrations: NotifyMigrations.all, logger: notifyLogger) { database in
            let harness = try await NotifyHarness(database: database)
            try await harness.person(Self.head, "Trần Công Huân", unit: UUID())
            try await harness.person(Self.clerk, "Lương Thị Văn Thư", unit: Self.unit)
            try await harness.person(Self.specialist, "Hoàng Thị Huỳnh", unit: Self.unit)
            let tokens = [
                "head": try await harness.token(Self.head, name: "Trần Công Huân", roles: [.head]),
                "clerk": try await harness.token(Self.clerk, name: "Lương Thị Văn Thư", roles: [.clerk], permissions: [.newsPublish]),
                "specialist": try await harness.token(Self.specialist, name: "Hoàng Thị Huỳnh"),
                "outsider": try await harness.token(Self.outsider, name: "Người Ngoài"),
            ]
            try await Application(router: harness.router).test(.router) { client in try await body(harness, client, tokens) }
        }
    }

    struct Notice: Decodable {
        var id: UUID
        var title: String
        var files: [File]
        var replies: [Reply]
        var recipients: [Recipient]?
        struct File: Decodable { var id: UUID; var name: String }
        struct Reply: Decodable { var userName: String; var body: String }
        struct Recipient: Decodable { var name: String; var readAt: Date? }
    }

    @Test func aLeadersNoticeReachesAUnitIsReadAndAnsweredAndTheSenderSeesWho() async throws {
        try await withOffice { harness, client, tokens in
            let file = UploadedFile(name: "Kế hoạch.pdf", contentType: "application/pdf", data: Data("%PDF-1.4 kế hoạch".utf8).base64EncodedString())
            struct New: Encodable { var title: String; var body: String; var recipients: [[String: UUID]]; var files: [UploadedFile]; var onBehalfOf: UUID? }
            let notice = New(title: "Chuẩn bị họp tổng kết", body: "Các đồng chí chuẩn bị báo cáo trước thứ Sáu.", recipients: [["unitId": Self.unit]], files: [file])
            // A specialist is not a leader and was not delegated.
            #expect(try await client.call(.post, "/api/v1/notices", token: tokens["specialist"]!, json: notice).status == .forbidden)
            let created = try await client.call(.post, "/api/v1/notices", token: tokens["head"]!, json: notice)
            #expect(created.status == .created)
            let sent = try created.json(Notice.self)
            #expect(sent.recipients?.map(\.name).sorted() == ["Hoàng Thị Huỳnh", "Lương Thị Văn Thư"])
            #expect(sent.recipients?.allSatisfy { $0.readAt == nil } == true)

            // The specialist has it in the inbox, opens it (read), takes the file and replies.
            let inbox = try await client.call(.get, "/api/v1/messages", token: tokens["specialist"]!).json(InboxRoutes.Inbox.self)
            #expect(inbox.items.map(\.title) == ["Thông tin điều hành: Chuẩn bị họp tổng kết"])
            let opened = try await client.call(.get, "/api/v1/notices/\(sent.id)", token: tokens["specialist"]!).json(Notice.self)
            #expect(opened.recipients == nil)
            let taken = try await client.call(.get, "/api/v1/notices/\(sent.id)/files/\(opened.files[0].id)", token: tokens["specialist"]!)
            #expect(String(buffer: taken.body) == "%PDF-1.4 kế hoạch")
            _ = try await client.call(.post, "/api/v1/notices/\(sent.id)/replies", token: tokens["specialist"]!, json: ["body": "Đã nhận, sẽ chuẩn bị."])
            #expect(try await client.call(.get, "/api/v1/notices/\(sent.id)", token: tokens["outsider"]!).status == .notFound)

            let seen = try await client.call(.get, "/api/v1/notices/\(sent.id)", token: tokens["head"]!).json(Notice.self)
            #expect(seen.recipients?.first { $0.name == "Hoàng Thị Huỳnh" }?.readAt != nil)
            #expect(seen.recipients?.first { $0.name == "Lương Thị Văn Thư" }?.readAt == nil)
            #expect(seen.replies.map(\.body) == ["Đã nhận, sẽ chuẩn bị."])

            // Delegated, the clerk sends for the head.
            #expect(try await client.call(.put, "/api/v1/notices/delegates/\(Self.clerk)", token: tokens["head"]!).status == .noContent)
            var delegated = notice
            delegated.onBehalfOf = Self.head
            delegated.recipients = [["userId": Self.specialist]]
            let forHead = try await client.call(.post, "/api/v1/notices", token: tokens["clerk"]!, json: delegated)
            #expect(forHead.status == .created)
            struct Box: Decodable { var items: [Item]; struct Item: Decodable { var senderName: String } }
            let received = try await client.call(.get, "/api/v1/notices", token: tokens["specialist"]!).json(Box.self)
            #expect(received.items.map(\.senderName).contains("Lương Thị Văn Thư (thừa lệnh Trần Công Huân)"))
        }
    }

    @Test func anyonePostsNewsOnlyTheAuthorOrAPublisherChangesItAndEditsKeepTheirHistory() async throws {
        try await withOffice { harness, client, tokens in
            let post = ["title": "Thông báo nghỉ Tết Dương lịch", "body": "Cơ quan nghỉ ngày 01/01/2027."]
            // Seed §6.6: any user posts, and edits or deletes their own post.
            let own = try await client.call(.post, "/api/v1/news", token: tokens["specialist"]!, json: ["title": "Câu lạc bộ bóng bàn", "body": "Tập chiều thứ Sáu."])
            #expect(own.status == .created)
            let mine = try own.json(NewsRoutes.Post.self)
            #expect(try await client.call(.put, "/api/v1/news/\(mine.id)", token: tokens["specialist"]!, json: ["title": "Câu lạc bộ bóng bàn", "body": "Tập chiều thứ Năm."]).status == .ok)
            #expect(try await client.call(.delete, "/api/v1/news/\(mine.id)", token: tokens["specialist"]!).status == .noContent)
            // Someone else's post: only a holder of news.publish edits or deletes it.
            let other = try await client.call(.post, "/api/v1/news", token: tokens["specialist"]!, json: post).json(NewsRoutes.Post.self)
            #expect(try await client.call(.delete, "/api/v1/news/\(other.id)", token: tokens["clerk"]!).status == .noContent)
            let created = try await client.call(.post, "/api/v1/news", token: tokens["clerk"]!, json: post).json(NewsRoutes.Post.self)
            let edited = try await client.call(
                .put, "/api/v1/news/\(created.id)", token: tokens["clerk"]!, json: ["title": "Thông báo nghỉ Tết Dương lịch 2027", "body": "Cơ quan nghỉ ngày 01/01/2027 (thứ Sáu)."]
            ).json(NewsRoutes.Post.self)
            #expect(edited.edits == 1)
            let board = try await client.call(.get, "/api/v1/news", token: tokens["specialist"]!).json(Page<NewsRoutes.Post>.self)
            #expect(board.items.map(\.title) == ["Thông báo nghỉ Tết Dương lịch 2027"])
            let history = try await client.call(.get, "/api/v1/news/\(created.id)/history", token: tokens["specialist"]!).json(NewsRoutes.History.self)
            #expect(history.versions.map(\.title) == ["Thông báo nghỉ Tết Dương lịch", "Thông báo nghỉ Tết Dương lịch 2027"])
            #expect(try await client.call(.delete, "/api/v1/news/\(created.id)", token: tokens["specialist"]!).status == .forbidden)
            #expect(try await client.call(.delete, "/api/v1/news/\(created.id)", token: tokens["clerk"]!).status == .noContent)
            #expect(try await client.call(.get, "/api/v1/news", token: tokens["specialist"]!).json(Page<NewsRoutes.Post>.self).total == 0)
            // Deleted is deleted for readers, its old versions too; the publisher keeps the record.
            #expect(try await client.call(.get, "/api/v1/news/\(created.id)/history", token: tokens["specialist"]!).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/news/\(created.id)/history", token: tokens["clerk"]!).status == .ok)
        }
    }

    @Test func aConversationCountsUnreadMessagesAndPagesItsHistory() async throws {
        try await withOffice { harness, client, tokens in
            let opened = try await client.call(.post, "/api/v1/conversations", token: tokens["clerk"]!, json: ["members": [Self.specialist]])
            #expect(opened.status == .created)
            let conversation = try opened.json(ChatRoutes.Conversation.self)
            // The same two people get the same conversation back.
            let again = try await client.call(.post, "/api/v1/conversations", token: tokens["specialist"]!, json: ["members": [Self.clerk]])
            #expect(try again.json(ChatRoutes.Conversation.self).id == conversation.id)
            #expect(try await client.call(.post, "/api/v1/conversations", token: tokens["clerk"]!, json: ["members": [UUID()]]).status == .unprocessableContent)

            // Live delivery: the specialist's stream hears of each new message.
            let events = InboxEvents(client: harness.database, logger: notifyLogger)
            let listening = Task { try await events.run() }
            defer { listening.cancel() }
            try await Task.sleep(for: .milliseconds(300))
            let heard = try #require(await events.subscribe(Self.specialist))

            struct Text: Encodable { var text: String }
            for index in 1...30 {
                #expect(try await client.call(.post, "/api/v1/conversations/\(conversation.id)/messages", token: tokens["clerk"]!, json: Text(text: "Tin nhắn số \(index)")).status == .created)
            }
            var iterator = heard.makeAsyncIterator()
            #expect(await iterator.next() == .chat(conversation.id))

            let list = try await client.call(.get, "/api/v1/conversations", token: tokens["specialist"]!).json(Page<ChatRoutes.Conversation>.self)
            #expect(list.items.first?.unread == 30)
            let newest = try await client.call(.get, "/api/v1/conversations/\(conversation.id)/messages?limit=20", token: tokens["specialist"]!)
                .json(Page<ChatRoutes.Message>.self)
            #expect(newest.total == 30 && newest.items.count == 20 && newest.items.first?.text == "Tin nhắn số 30")
            let before = newest.items.last!.id
            let older = try await client.call(.get, "/api/v1/conversations/\(conversation.id)/messages?limit=20&before=\(before)", token: tokens["specialist"]!)
                .json(Page<ChatRoutes.Message>.self)
            #expect(older.items.count == 10 && older.items.last?.text == "Tin nhắn số 1")
            #expect(try await client.call(.get, "/api/v1/conversations", token: tokens["specialist"]!).json(Page<ChatRoutes.Conversation>.self).items.first?.unread == 0)
            #expect(try await client.call(.get, "/api/v1/conversations/\(conversation.id)/messages", token: tokens["outsider"]!).status == .notFound)
        }
    }
}
