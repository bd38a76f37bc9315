import Foundation
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Documents

/// Giao việc over HTTP against the real database: work is given down the organisation, seen by the
/// one who gave it, the one who does it and the head, reported on by the one who does it, and reminded
/// once when overdue.
@Suite("Tasks (giao việc)", .serialized, .timeLimit(.minutes(3)))
struct TaskTests {
    struct Task: Decodable { var id: UUID; var title: String; var percent: Int; var done: Bool; var overdue: Bool; var progress: [Step]? }
    struct Step: Decodable { var percent: Int; var comment: String; var by: String }
    struct Tasks: Decodable { var items: [Task]; var total: Int }
    struct NewTask: Encodable { var title: String; var assigneeId: UUID; var deadline: Date?; var incomingId: UUID? = nil }

    static func notices(_ title: String, _ database: TestDatabase) async throws -> Int {
        try await database.count(
            "select count(*)::int from outbox where message_type = 'notification-request.v1' and convert_from(body, 'UTF8') like '%\(title)%'")
    }

    @Test func aLeaderGivesWorkInTheUnitTheAssigneeReportsAndTheLeaderIsTold() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let specialist = try #require(office.ids["specialist"])
                let colleague = try #require(office.ids["colleague"])
                let outsider = try await database.id("select id from users where username = 'chuyenvien.test'")
                let deadline = Date().addingTimeInterval(3_600)

                let created = try await client.send(
                    .post, "/api/v1/tasks", token: office.leader, json: NewTask(title: "  Dự thảo báo cáo quý IV  ", assigneeId: specialist, deadline: deadline))
                #expect(created.status == .created)
                let task = try created.decoded(Task.self)
                #expect(task.title == "Dự thảo báo cáo quý IV" && task.percent == 0 && !task.done)
                #expect(try await Self.notices("Công việc mới được giao", database) == 1)

                #expect(try await client.send(.get, "/api/v1/tasks?view=mine", token: office.specialist).decoded(Tasks.self).items.map(\.id) == [task.id])
                #expect(try await client.send(.get, "/api/v1/tasks?view=assigned", token: office.leader).decoded(Tasks.self).total == 1)
                #expect(try await client.send(.get, "/api/v1/tasks?view=mine", token: office.leader).decoded(Tasks.self).total == 0)
                #expect(try await client.send(.get, "/api/v1/tasks?view=all", token: office.leader).status == .unprocessableContent)

                // Who sees it: the giver, the doer and the head; a colleague gets the same 404 as for nothing.
                #expect(try await client.send(.get, "/api/v1/tasks/\(task.id)", token: office.head).status == .ok)
                #expect(try await client.send(.get, "/api/v1/tasks/\(task.id)", token: office.colleague).status == .notFound)

                // Work goes down the organisation only.
                let sideways = try await client.send(
                    .post, "/api/v1/tasks", token: office.specialist, json: NewTask(title: "Việc ngang", assigneeId: colleague, deadline: nil))
                #expect(sideways.status == .forbidden)
                let outside = try await client.send(
                    .post, "/api/v1/tasks", token: office.leader, json: NewTask(title: "Việc đơn vị khác", assigneeId: outsider, deadline: nil))
                #expect(outside.status == .forbidden)
                #expect(try await client.send(
                    .post, "/api/v1/tasks", token: office.head, json: NewTask(title: "Việc thủ trưởng giao", assigneeId: outsider, deadline: nil)
                ).status == .created)
                #expect(try await client.send(
                    .post, "/api/v1/tasks", token: office.specialist, json: NewTask(title: "Việc tự ghi", assigneeId: specialist, deadline: nil)
                ).status == .created)
                #expect(try await client.send(
                    .post, "/api/v1/tasks", token: office.leader, json: NewTask(title: " ", assigneeId: specialist, deadline: nil)
                ).status == .unprocessableContent)
                #expect(try await database.count("select count(*)::int from tasks") == 3)

                // Only the doer reports, 0 to 100.
                let url = "/api/v1/tasks/\(task.id)/progress"
                #expect(try await client.send(.post, url, token: office.colleague, json: ["percent": 10]).status == .notFound)
                #expect(try await client.send(.post, url, token: office.leader, json: ["percent": 10]).status == .forbidden)
                #expect(try await client.send(.post, url, token: office.specialist, json: ["percent": 150]).status == .unprocessableContent)
                let half = try await client.send(
                    .post, url, token: office.specialist, json: ProgressBody(percent: 50, comment: "Đã có số liệu ba tháng")).decoded(Task.self)
                #expect(half.percent == 50 && !half.done)
                let finished = try await client.send(.post, url, token: office.specialist, json: ProgressBody(percent: 100, comment: "Xong")).decoded(Task.self)
                #expect(finished.done && finished.progress?.map(\.percent) == [50, 100])
                #expect(finished.progress?.first?.by == "Hoàng Thị Huỳnh")
                #expect(try await Self.notices("Công việc đã hoàn thành", database) == 1)
            }
        }
    }

    struct ProgressBody: Encodable { var percent: Int; var comment: String }

    @Test func anOverdueTaskIsRemindedOnceAndADoneOneNever() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let specialist = try #require(office.ids["specialist"])
                let deadline = Date().addingTimeInterval(3_600)
                for title in ["Việc còn dở", "Việc đã xong"] {
                    _ = try await client.send(.post, "/api/v1/tasks", token: office.leader, json: NewTask(title: title, assigneeId: specialist, deadline: deadline))
                }
                try await database.execute("update tasks set done = true, percent = 100 where title = 'Việc đã xong'")
                let watch = DeadlineWatch(client: harness.client, logger: testLogger)
                #expect(try await watch.scanTasks(at: Date()) == 0, "not yet due")
                #expect(try await watch.scanTasks(at: deadline.addingTimeInterval(60)) == 1)
                #expect(try await watch.scanTasks(at: deadline.addingTimeInterval(3_600)) == 0, "once")
                #expect(try await Self.notices("Công việc quá hạn", database) == 1)
                let mine = try await client.send(.get, "/api/v1/tasks?view=mine", token: office.specialist).decoded(Tasks.self)
                #expect(mine.items.map(\.title) == ["Việc còn dở", "Việc đã xong"], "open ones first")
            }
        }
    }
}
