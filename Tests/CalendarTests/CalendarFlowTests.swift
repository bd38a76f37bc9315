import AMQPClient
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import PostgresNIO
import Prometheus
import ServiceKit
import Testing
import TestSupport

@testable import Calendar

let calendarLogger: Logger = {
    var logger = Logger(label: "calendar-tests")
    logger.logLevel = .warning
    return logger
}()

/// Calendar through the real broker and database: the directory events it learns people from, the
/// notification requests it sends Notify, its HTTP API and its iCalendar feed (read back by PyPI's
/// icalendar).
@Suite("Calendar through the real broker", .serialized, .timeLimit(.minutes(3)))
struct CalendarFlowTests {
    struct Office {
        var organizer = UUID(), first = UUID(), second = UUID(), leader = UUID(), office = UUID()
        var unit = UUID(), otherUnit = UUID(), otherLeader = UUID()
    }

    /// Calendar's directory worker and relay on a fresh schema, a queue that hears its notification
    /// requests, and its routes with tokens, for the length of `body`.
    static func withCalendar(
        _ body: @escaping @Sendable (Office, any TestClientProtocol, AMQPConsumer, PostgresClient, @escaping @Sendable (UUID, [Permission]) async throws -> String) async throws -> Void
    ) async throws {
        try await withFreshSchema(component: "calendar", migrations: CalendarMigrations.all, logger: calendarLogger) { database in
            let connection = try TestEnvironment.connection("calendar")
            try await connection.waitUntilConnected()
            try await connection.declare(CalendarTopology.topology)
            try await connection.purgeQueue(CalendarTopology.eventsQueue)
            let heard = TestEnvironment.uniqueQueue("calendar-notifications")
            try await connection.declare(
                Topology(
                    exchanges: [.init(Routes.eventsExchange)], queues: [.init(heard)],
                    bindings: [.init(queue: heard, exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey)]))
            let worker = QueueWorker(
                queue: CalendarTopology.eventsQueue, consumerConnection: connection, publisher: connection, client: database, handler: DirectoryHandler(),
                logger: calendarLogger)
            let relay = OutboxRelay(client: database, publisher: connection, appID: "calendar", logger: calendarLogger)
            let office = Office()
            let keys = JWTKeyCollection()
            await keys.add(eddsa: try EdDSA.PrivateKey(), kid: "test")
            let router = ServiceRuntime.router(
                settings: ServiceSettings(name: "calendar", defaultPort: 8082, environment: [:]),
                readiness: Readiness(client: database, connections: [], logger: calendarLogger), registry: PrometheusCollectorRegistry(),
                verifier: TokenVerifier(keys: keys),
                routes: { router, api in
                    MeetingRoutes(client: database, logger: calendarLogger).add(to: api)
                    ScheduleRoutes(client: database, logger: calendarLogger).add(to: api)
                    FeedRoutes(client: database, logger: calendarLogger, publicURL: "").add(public: router, api: api)
                })
            let registered = OpenAPIRoutes.registered(router).filter { $0.contains("/api/v1/") || $0.contains("/calendar/") }
                .filter { !$0.hasSuffix("/api/v1/me") }
            #expect(registered.subtracting(try OpenAPIRoutes.described()).sorted() == [], "Calendar routes missing from openapi.yaml")
            defer {
                Task {
                    try? await connection.deleteQueue(heard)
                    try? await connection.deleteQueue(heard + ".dlq")
                    await connection.close()
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                group.addTask { try await relay.run() }
                defer { group.cancelAll() }
                // The directory as Documents would announce it.
                let people: [(UUID, String, UUID)] = [
                    (office.organizer, "Lương Thị Văn Thư", office.unit), (office.first, "Hoàng Thị Huỳnh", office.unit),
                    (office.second, "Bế Văn Phối", office.unit), (office.leader, "Nông Thị Lãnh Đạo", office.otherUnit),
                    (office.office, "Đàm Văn Phòng", office.unit), (office.otherLeader, "Vi Văn Tổ Chức", office.unit),
                ]
                for (id, name, unit) in people {
                    let user = DirectoryUserV1(
                        userId: id, username: "u\(id.uuidString.prefix(6))", fullName: name, unitId: unit, position: "", phone: "+84912345678", email: nil,
                        roles: ["specialist"], permissions: [], active: true, version: 1)
                    try await publish(user, Routes.directoryUserChangedKey, connection)
                }
                for (unit, name, leader) in [(office.otherUnit, "Ban Tổ chức", office.leader), (office.unit, "Văn phòng", office.otherLeader)] {
                    let event = DirectoryUnitV1(
                        unitId: unit, parentId: nil, code: String(name.prefix(2)), name: name, abbreviation: "X", leaderIds: [leader], deleted: false, version: 1)
                    try await publish(event, Routes.directoryUnitChangedKey, connection)
                }
                _ = try await waitFor {
                    let people = try await count("select count(*)::int from people", database)
                    let units = try await count("select count(*)::int from units", database)
                    return people == 6 && units == 2
                }
                let consumer = try await connection.consume(queue: heard)
                let token: @Sendable (UUID, [Permission]) async throws -> String = { user, permissions in
                    try await keys.sign(
                        AccessClaims(
                            userID: user, sessionID: UUID(), username: "u", name: "Người dùng", unit: .init(id: office.unit, name: "Văn phòng"),
                            roles: [.specialist], permissions: permissions, mustChangePassword: false, issuedAt: Date(), lifetime: .seconds(600)),
                        kid: "test")
                }
                try await Application(router: router).test(.router) { client in
                    try await body(office, client, consumer, database, token)
                }
                await consumer.cancel()
            }
        }
    }

    static func publish(_ message: some ContractMessage, _ key: String, _ connection: AMQPConnection) async throws {
        try await connection.publish(
            try message.encoded(), exchange: Routes.eventsExchange, routingKey: key,
            properties: AMQPProperties(messageID: UUID().uuidString, type: type(of: message).messageType, contentType: "application/json"))
    }

    static func count(_ sql: String, _ database: PostgresClient) async throws -> Int {
        for try await value in try await database.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
        return 0
    }

    static func waitFor(_ check: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if try await check() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    static func next(_ consumer: AMQPConsumer) async throws -> NotificationRequestV1 {
        let got = try await collect(consumer, count: 1, timeout: .seconds(15))
        return try NotificationRequestV1.decode(try #require(got.first).body)
    }

    static func at(_ text: String) -> Date { RecurrenceTests.at(text) }

    struct Meeting: Encodable {
        var title: String
        var start: Date
        var end: Date
        var room: String?
        var attendees: [[String: UUID]]
        var invitation: String?
        var rrule: String?
        var reminderMinutes: Int? = nil
    }

    static func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ token: String, _ body: (any Encodable)? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        var buffer: ByteBuffer?
        if let body {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try encoder.encode(body))
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: buffer)
    }

    static func decode<T: Decodable>(_ response: TestResponse, as type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(response.body.readableBytesView))
    }

    /// Reads an .ics with PyPI's icalendar (Tests/CalendarTests/read_ics.py).
    static func parsed(_ ics: String) throws -> ParsedCalendar {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString).ics")
        try Data(ics.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("read_ics.py").path
        let output = try TestEnvironment.run(TestEnvironment.value("IOFFICE_TEST_PYTHON"), [script, file.path])
        return try JSONDecoder().decode(ParsedCalendar.self, from: Data(output.utf8))
    }

    struct ParsedCalendar: Decodable {
        var events: [Event]
        var longLines: Int
        var crlf: Bool
        struct Event: Decodable {
            var uid: String
            var summary: String
            var location: String
            var sequence: Int
            var status: String
            var organizer: String?
            var attendees: [Attendee]
            var rrule: String?
            var exdates: Int
        }
        struct Attendee: Decodable { var name: String; var partstat: String }
    }

    @Test func anOrganiserWithoutSmsSendInvitesInTheAppOnly() async throws {
        try await Self.withCalendar { office, client, heard, database, token in
            let organizer = try await token(office.organizer, [])
            let meeting = Meeting(
                title: "Họp chi bộ", start: Self.at("2026-12-03 14:00"), end: Self.at("2026-12-03 15:00"), room: "Phòng họp số 2",
                attendees: [["userId": office.first], ["userId": office.second]], invitation: "Mời dự.")
            #expect(try await Self.send(client, .post, "/api/v1/meetings", organizer, meeting).status == .created)
            let invitation = try await Self.next(heard)
            #expect(invitation.channels == [.inApp])
            #expect(invitation.sender == nil)
            // Its reminders will not go by SMS either.
            #expect(try await Self.count("select count(*)::int from meetings where sms_allowed", database) == 0)
        }
    }

    @Test func invitationsAnswersAChangeAndARoomConflictReachPeopleThroughNotify() async throws {
        try await Self.withCalendar { office, client, heard, database, token in
            let organizer = try await token(office.organizer, [.smsSend])
            let meeting = Meeting(
                title: "Họp triển khai văn phòng điện tử", start: Self.at("2026-12-02 14:00"), end: Self.at("2026-12-02 16:00"), room: "Phòng họp số 1",
                attendees: [["userId": office.first], ["userId": office.second], ["unitId": office.otherUnit]], invitation: "Đề nghị các đồng chí dự đầy đủ.")
            let created = try await Self.send(client, .post, "/api/v1/meetings", organizer, meeting)
            #expect(created.status == .created)
            let view = try Self.decode(created, as: MeetingRoutes.View.self)
            #expect(Set(view.attendees.map(\.userId)) == [office.first, office.second, office.leader])
            #expect(view.attendees.first { $0.userId == office.leader }?.viaUnit == office.otherUnit)

            let invitation = try await Self.next(heard)
            #expect(Set(invitation.recipients) == [office.first, office.second, office.leader])
            #expect(invitation.channels == [.inApp, .sms])
            #expect(invitation.sender == office.organizer, "its SMS count against the organiser's limit")
            #expect(invitation.title == "Mời họp: Họp triển khai văn phòng điện tử")
            #expect(invitation.body.contains("14:00–16:00 ngày 02/12/2026") && invitation.body.contains("Phòng họp số 1"))

            // One attendee declines with a reason; the organiser is told and sees it.
            let first = try await token(office.first, [])
            #expect(try await Self.send(client, .post, "/api/v1/meetings/\(view.id)/reply", first, ["answer": "decline"]).status == .unprocessableContent)
            #expect(try await Self.send(client, .post, "/api/v1/meetings/\(view.id)/reply", first, ["answer": "decline", "reason": "Đi công tác huyện Bảo Lạc"]).status == .ok)
            let declined = try await Self.next(heard)
            #expect(declined.recipients == [office.organizer] && declined.body.contains("Đi công tác huyện Bảo Lạc"))
            let seen = try Self.decode(try await Self.send(client, .get, "/api/v1/meetings/\(view.id)", organizer), as: MeetingRoutes.View.self)
            #expect(seen.attendees.first { $0.userId == office.first }?.answer == "decline")
            #expect(seen.attendees.first { $0.userId == office.first }?.reason == "Đi công tác huyện Bảo Lạc")

            // The meeting moves: everyone is told what changed.
            var moved = meeting
            moved.start = Self.at("2026-12-03 08:00")
            moved.end = Self.at("2026-12-03 10:00")
            let changed = try await Self.send(client, .put, "/api/v1/meetings/\(view.id)", organizer, moved)
            #expect(changed.status == .ok)
            #expect(try Self.decode(changed, as: MeetingRoutes.View.self).sequence == 1)
            let change = try await Self.next(heard)
            #expect(Set(change.recipients) == [office.first, office.second, office.leader])
            #expect(change.title == "Thay đổi lịch họp: Họp triển khai văn phòng điện tử")
            #expect(change.body == "Thời gian: 14:00–16:00 ngày 02/12/2026 → 08:00–10:00 ngày 03/12/2026")

            // The same room at an overlapping time is refused, naming the meeting that holds it.
            let second = try await token(office.second, [])
            let clash = Meeting(
                title: "Họp chi bộ", start: Self.at("2026-12-03 09:30"), end: Self.at("2026-12-03 11:00"), room: "phòng họp số 1",
                attendees: [["userId": office.first]])
            let refused = try await Self.send(client, .post, "/api/v1/meetings", second, clash)
            #expect(refused.status == .conflict)
            #expect(String(buffer: refused.body).contains("Họp triển khai văn phòng điện tử"))
            #expect(try await Self.count("select count(*)::int from meetings", database) == 1)
            // Right after it, it fits; an attendee busy then is warned of.
            var after = clash
            after.start = Self.at("2026-12-03 10:00")
            let fits = try await Self.send(client, .post, "/api/v1/meetings", second, after)
            #expect(fits.status == .created)
            _ = try await Self.next(heard)

            // Each person's feed, read by an independent parser, has the meeting with its answers.
            let feed = try Self.decode(try await Self.send(client, .get, "/api/v1/calendar/feed", first), as: FeedRoutes.Feed.self)
            let ics = try await client.execute(uri: feed.url, method: .get)
            #expect(ics.status == .ok)
            let calendar = try Self.parsed(String(buffer: ics.body))
            #expect(calendar.longLines == 0 && calendar.crlf)
            let event = try #require(calendar.events.first { $0.summary == "Họp triển khai văn phòng điện tử" })
            #expect(event.sequence == 1 && event.location == "Phòng họp số 1" && event.organizer == "Lương Thị Văn Thư")
            #expect(event.attendees.first { $0.name == "Hoàng Thị Huỳnh" }?.partstat == "DECLINED")
            #expect(event.attendees.first { $0.name == "Bế Văn Phối" }?.partstat == "NEEDS-ACTION")
            #expect(calendar.events.count == 2)
            // Revoked, the old address answers nothing.
            _ = try await Self.send(client, .post, "/api/v1/calendar/feed/revoke", first)
            #expect(try await client.execute(uri: feed.url, method: .get).status == .notFound)
        }
    }

    @Test func aWeeklyBriefingWithAnExceptionIsInTheFeed() async throws {
        try await Self.withCalendar { office, client, heard, _, token in
            let organizer = try await token(office.organizer, [])
            let briefing = Meeting(
                title: "Giao ban tuần", start: Self.at("2026-12-21 08:00"), end: Self.at("2026-12-21 09:00"), room: "Phòng họp số 2",
                attendees: [["userId": office.first]], rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=6")
            let view = try Self.decode(try await Self.send(client, .post, "/api/v1/meetings", organizer, briefing), as: MeetingRoutes.View.self)
            _ = try await Self.next(heard)
            #expect(try await Self.send(client, .post, "/api/v1/meetings/\(view.id)/exceptions", organizer, ["date": "2026-12-28"]).status == .ok)
            let list = try Self.decode(
                try await Self.send(client, .get, "/api/v1/meetings?from=2026-12-01&to=2027-03-01", organizer), as: MeetingRoutes.Occurrences.self)
            #expect(list.items.map { DayKey($0.start).text } == ["2026-12-21", "2027-01-04", "2027-01-11", "2027-01-18", "2027-01-25"])
            // A one-off meeting in the same room on a Monday of the series is refused.
            let clash = Meeting(title: "Họp đột xuất", start: Self.at("2027-01-11 08:30"), end: Self.at("2027-01-11 09:30"), room: "Phòng họp số 2",
                attendees: [["userId": office.second]])
            #expect(try await Self.send(client, .post, "/api/v1/meetings", organizer, clash).status == .conflict)
            let attendee = try await token(office.first, [])
            let feed = try Self.decode(try await Self.send(client, .get, "/api/v1/calendar/feed", attendee), as: FeedRoutes.Feed.self)
            let calendar = try Self.parsed(String(buffer: try await client.execute(uri: feed.url, method: .get).body))
            let event = try #require(calendar.events.first)
            #expect(event.rrule == "FREQ=WEEKLY;COUNT=6;BYDAY=MO" || event.rrule == "FREQ=WEEKLY;BYDAY=MO;COUNT=6")
            #expect(event.exdates == 1)
        }
    }

    @Test func aReminderGoesOutOncePerOccurrenceToThoseWhoComeOnly() async throws {
        try await Self.withCalendar { office, client, heard, database, token in
            let organizer = try await token(office.organizer, [.smsSend])
            let soon = Date().addingTimeInterval(30 * 60)
            let meeting = Meeting(
                title: "Họp gấp về phòng chống bão", start: soon, end: soon.addingTimeInterval(3600), room: "Phòng họp số 3",
                attendees: [["userId": office.first], ["userId": office.second]])
            let view = try Self.decode(try await Self.send(client, .post, "/api/v1/meetings", organizer, meeting), as: MeetingRoutes.View.self)
            _ = try await Self.next(heard)
            _ = try await Self.send(client, .post, "/api/v1/meetings/\(view.id)/reply", try await token(office.second, []), ["answer": "decline", "reason": "Nghỉ phép"])
            _ = try await Self.next(heard)
            let watch = ReminderWatch(client: database, logger: calendarLogger)
            try await watch.remind(now: Date())
            let reminder = try await Self.next(heard)
            #expect(reminder.title == "Sắp họp: Họp gấp về phòng chống bão")
            #expect(reminder.recipients == [office.first])
            // By SMS too, counted against the organiser's limit like the invitation.
            #expect(reminder.channels == [.inApp, .sms] && reminder.sender == office.organizer)
            // Checked again a minute later: no second reminder for the same occurrence.
            try await watch.remind(now: Date().addingTimeInterval(60))
            #expect(try await collect(heard, count: 1, timeout: .seconds(2)).isEmpty)
        }
    }

    @Test func theAgencysWeekIsCompiledFromTwoUnitsPublishedAndShownByDay() async throws {
        try await Self.withCalendar { office, client, heard, database, token in
            struct Entry: Encodable { var scope: String; var unitId: UUID; var start: Date; var end: Date; var place: String; var content: String; var inCharge: String }
            // Văn phòng (led by otherLeader) and Ban Tổ chức (led by leader) each draft their week.
            let staff = try await token(office.first, [])
            let otherStaff = try await token(office.leader, [])
            #expect(try await Self.send(client, .post, "/api/v1/schedule/entries", staff,
                Entry(scope: "unit", unitId: office.unit, start: Self.at("2026-11-30 08:00"), end: Self.at("2026-11-30 11:00"), place: "Hội trường",
                    content: "Hội nghị cán bộ công chức", inCharge: "Chánh Văn phòng")).status == .created)
            #expect(try await Self.send(client, .post, "/api/v1/schedule/entries", otherStaff,
                Entry(scope: "unit", unitId: office.otherUnit, start: Self.at("2026-12-02 14:00"), end: Self.at("2026-12-02 17:00"), place: "Phòng họp số 1",
                    content: "Thẩm định hồ sơ thi đua", inCharge: "Trưởng ban Tổ chức")).status == .created)
            // Only a unit's leader submits its week; then it cannot change.
            #expect(try await Self.send(client, .post, "/api/v1/schedule/units/\(office.unit)/weeks/2026-11-30/submit", staff).status == .forbidden)
            let lead = try await token(office.otherLeader, [])
            #expect(try await Self.send(client, .post, "/api/v1/schedule/units/\(office.unit)/weeks/2026-11-30/submit", lead).status == .ok)
            #expect(try await Self.send(client, .post, "/api/v1/schedule/units/\(office.otherUnit)/weeks/2026-12-02/submit", otherStaff).status == .ok)
            #expect(try await Self.send(client, .post, "/api/v1/schedule/entries", staff,
                Entry(scope: "unit", unitId: office.unit, start: Self.at("2026-12-01 08:00"), end: Self.at("2026-12-01 09:00"), place: "", content: "Thêm muộn",
                    inCharge: "")).status == .conflict)

            // The office compiles and publishes; everyone sees it by day.
            let clerk = try await token(office.office, [.calendarPublishAgency])
            #expect(try await Self.send(client, .post, "/api/v1/schedule/agency/weeks/2026-11-30/compile", staff).status == .forbidden)
            let compiled = try Self.decode(
                try await Self.send(client, .post, "/api/v1/schedule/agency/weeks/2026-11-30/compile", clerk), as: ScheduleRoutes.Schedule.self)
            #expect(compiled.days.flatMap(\.entries).map(\.content).sorted() == ["Hội nghị cán bộ công chức", "Thẩm định hồ sơ thi đua"])
            // Compiling again adds nothing twice.
            _ = try await Self.send(client, .post, "/api/v1/schedule/agency/weeks/2026-11-30/compile", clerk)
            #expect(try await Self.count("select count(*)::int from schedule_entries where scope = 'agency'", database) == 2)
            let before = try Self.decode(try await Self.send(client, .get, "/api/v1/schedule?scope=agency&from=2026-11-30", staff), as: ScheduleRoutes.Schedule.self)
            #expect(before.days.flatMap(\.entries).isEmpty)
            #expect(try await Self.send(client, .post, "/api/v1/schedule/agency/weeks/2026-11-30/publish", clerk).status == .ok)
            let published = try await Self.next(heard)
            #expect(published.recipients.count == 6 && published.title.contains("2026-11-30"))
            let week = try Self.decode(try await Self.send(client, .get, "/api/v1/schedule?scope=agency&from=2026-12-01", staff), as: ScheduleRoutes.Schedule.self)
            #expect(week.days.map(\.date) == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"])
            #expect(week.days[0].entries.map(\.content) == ["Hội nghị cán bộ công chức"])
            #expect(week.days[2].entries.map(\.place) == ["Phòng họp số 1"])
            let day = try Self.decode(try await Self.send(client, .get, "/api/v1/schedule?scope=agency&view=day&from=2026-12-02", staff), as: ScheduleRoutes.Schedule.self)
            #expect(day.days.map(\.date) == ["2026-12-02"] && day.days[0].entries.count == 1)
        }
    }
}
