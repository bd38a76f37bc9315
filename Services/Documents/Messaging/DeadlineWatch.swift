import Contracts
import Crypto
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import ServiceLifecycle

/// Every hour: people holding an incoming document due by the end of the next working day (a Friday
/// reminds of Monday's deadlines, a day before Tết of those after it), or overdue, get a reminder
/// through Notify (`notification-request.v1`, in the app, and by SMS once overdue). Each reminder is
/// sent once per part and kind, however often the scan runs or restarts.
struct DeadlineWatch: Service {
    let client: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(3600)

    enum Kind: String { case dueSoon, overdue }

    func run() async throws {
        try await repeatEvery(interval, what: "deadline scan", logger: logger) {
            let sent = try await scan(at: Date()) + scanTasks(at: Date())
            if sent > 0 { logger.info("deadline reminders requested", metadata: ["count": "\(sent)"]) }
            // The same hourly turn forgets refused partner messages past their retention.
            let removed = try await client.withConnection { connection in
                try await IncomingStore.pruneRejected(
                    before: Date().addingTimeInterval(-IncomingStore.rejectedRetention), on: connection, logger: logger)
            }
            if removed > 0 { logger.info("old refused messages removed", metadata: ["count": "\(removed)"]) }
            // Personal files deleted longer ago than they are kept for restoring.
            _ = try await client.withConnection { connection in
                try await PersonalFileStore.purge(before: Date().addingTimeInterval(-PersonalFileRules.keptDeleted), on: connection, logger: logger)
            }
            // And login failures no throttle rule still counts (the longest forgets after an hour).
            _ = try await client.withConnection { connection in
                try await LoginFailureStore.prune(before: Date().addingTimeInterval(-3600), on: connection, logger: logger)
            }
        }
    }

    /// One scan at `now`; returns how many reminders it requested.
    @discardableResult
    func scan(at now: Date) async throws -> Int {
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            let soon = try await WorkingDayAdjustmentEntry.calendar(on: connection, logger: logger).endOfNextWorkingDay(after: now)
            let rows = try await connection.query(
                """
                select a.id, a.assignee, a.deadline, d.id, d.subject,
                       case when a.deadline <= \(now) then 'overdue' else 'dueSoon' end as kind
                from incoming_assignments a join incoming_documents d on d.id = a.document_id
                where a.state = 'open' and a.role <> 'info' and a.deadline is not null and d.state = 'inProgress'
                  and a.deadline <= \(soon)
                  and not exists (select 1 from deadline_reminders r where r.assignment_id = a.id
                                  and r.kind = case when a.deadline <= \(now) then 'overdue' else 'dueSoon' end)
                for update of a skip locked
                """, logger: logger)
            var due: [(UUID, UUID, Date, UUID, String, String)] = []
            for try await row in rows.decode((UUID, UUID, Date, UUID, String, String).self) { due.append(row) }
            for (assignment, assignee, deadline, document, subject, kindName) in due {
                let kind = Kind(rawValue: kindName) ?? .dueSoon
                try await connection.query(
                    "insert into deadline_reminders (assignment_id, kind) values (\(assignment), \(kind.rawValue))", logger: logger)
                let request = NotificationRequestV1(
                    requestId: Self.requestID(assignment: assignment, kind: kind), recipients: [assignee],
                    channels: kind == .overdue ? [.inApp, .sms] : [.inApp],
                    title: kind == .overdue ? "Văn bản quá hạn xử lý" : "Văn bản sắp đến hạn xử lý",
                    body: "\(subject) (hạn \(Self.vietnamTime(deadline)))", link: "/van-ban-den/\(document.uuidString.lowercased())")
                try await Outbox.enqueue(
                    OutboxMessage(
                        type: NotificationRequestV1.messageType, exchange: Routes.eventsExchange,
                        routingKey: Routes.notificationRequestedKey, body: try request.encoded()), on: connection, logger: logger)
            }
            return due.count
        }
    }

    /// Tasks past their deadline and not done: their assignee is reminded once, in the app.
    @discardableResult
    func scanTasks(at now: Date) async throws -> Int {
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            let rows = try await connection.query(
                """
                select t.id, t.assignee, t.title, t.deadline from tasks t
                where not t.done and t.deadline <= \(now) and not exists (select 1 from task_reminders r where r.task_id = t.id)
                order by t.deadline limit 1000
                for update of t skip locked
                """, logger: logger)
            var due: [(UUID, UUID, String, Date)] = []
            for try await row in rows.decode((UUID, UUID, String, Date).self) { due.append(row) }
            for (task, assignee, title, deadline) in due {
                try await connection.query("insert into task_reminders (task_id) values (\(task))", logger: logger)
                let request = NotificationRequestV1(
                    requestId: Self.requestID(assignment: task, kind: .overdue), recipients: [assignee], channels: [.inApp],
                    title: "Công việc quá hạn", body: "\(title) (hạn \(Self.vietnamTime(deadline)))", link: "/cong-viec/\(task.uuidString.lowercased())")
                try await Outbox.enqueue(
                    OutboxMessage(
                        type: NotificationRequestV1.messageType, exchange: Routes.eventsExchange,
                        routingKey: Routes.notificationRequestedKey, body: try request.encoded()), on: connection, logger: logger)
            }
            return due.count
        }
    }

    /// The same reminder always has the same id, so Notify sends it once even if it is requested twice.
    static func requestID(assignment: UUID, kind: Kind) -> UUID {
        let digest = Array(SHA256.hash(data: Data("\(assignment.uuidString)/\(kind.rawValue)".utf8)))
        return UUID(uuid: (digest[0], digest[1], digest[2], digest[3], digest[4], digest[5], digest[6] & 0x0f | 0x50, digest[7],
                           digest[8] & 0x3f | 0x80, digest[9], digest[10], digest[11], digest[12], digest[13], digest[14], digest[15]))
    }

    static func vietnamTime(_ date: Date) -> String {
        var style = Date.FormatStyle(date: .numeric, time: .shortened, locale: Locale(identifier: "vi_VN"))
        style.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        return date.formatted(style)
    }
}
