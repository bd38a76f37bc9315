import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Lịch công tác: entries for a person, a unit, the leaders and the agency; a unit's week submitted
/// by its leader; the agency's week compiled from the submissions by the office
/// (`calendar.publishAgency`), edited, and published with notice to the people; views by range.
struct ScheduleRoutes {
    let client: PostgresClient
    let logger: Logger
    static let agency = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    struct Input: Decodable {
        /// person, unit, leaders or agency.
        var scope: String
        var unitId: UUID?
        var start: Date
        var end: Date
        var allDay: Bool?
        var place: String?
        var content: String
        var inCharge: String?
        var participants: String?
        var preparingUnit: String?
        var notes: String?
    }

    struct Entry: Codable, Sendable {
        var id: UUID
        var scope: String
        var ownerId: UUID
        var start: Date
        var end: Date
        var allDay: Bool
        var place: String
        var content: String
        var inCharge: String
        var participants: String
        var preparingUnit: String
        var notes: String
    }

    struct Day: Codable, Sendable { var date: String; var entries: [Entry] }
    struct Schedule: ResponseCodable { var scope: String; var days: [Day]; var state: String? }
    struct Created: ResponseCodable { var entry: Entry }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("schedule/entries") { request, context -> EditedResponse<Created> in
            let caller = try context.requireCaller()
            let input = try await request.json(Input.self, context: context)
            return EditedResponse(status: .created, response: Created(entry: try await create(input, by: caller)))
        }
        api.delete("schedule/entries/:id") { _, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "mục lịch")
            try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                var found: (scope: String, owner: UUID, week: String)?
                for try await row in try await connection.query(
                    "select scope, owner_id, week::text from schedule_entries where id = \(id) for update", logger: logger
                ).decode((String, UUID, String).self) { found = row }
                guard let found else { throw ProblemDetails.notFound("Không tìm thấy mục lịch.") }
                try await mayWrite(scope: found.scope, owner: found.owner, week: found.week, caller: caller, connection)
                try await connection.query("delete from schedule_entries where id = \(id)", logger: logger)
            }
            return .noContent
        }
        api.post("schedule/units/:unit/weeks/:week/submit") { _, context -> Schedule in
            let caller = try context.requireCaller()
            let unit = try UUID.parameter("unit", of: context, what: "đơn vị")
            let week = try Self.week(context)
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                guard try await isLeader(caller.id, of: unit, connection) else {
                    throw ProblemDetails.forbidden("Chỉ lãnh đạo đơn vị gửi lịch tuần của đơn vị.")
                }
                try await setState(.submitted, scope: "unit", owner: unit, week: week, by: caller.id, connection)
                logger.info("unit week submitted", metadata: ["unit": "\(unit)", "week": "\(week)", "by": "\(caller.username)"])
                return try await schedule(scope: "unit", owner: unit, from: week, days: 7, connection)
            }
        }
        api.post("schedule/agency/weeks/:week/compile") { _, context -> Schedule in
            let caller = try context.require(.calendarPublishAgency)
            let week = try Self.week(context)
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                // Each submitted unit entry once into the agency's week; what the office added stays.
                try await connection.query(
                    """
                    insert into schedule_entries (id, scope, owner_id, week, starts_at, ends_at, all_day, place, content, in_charge, participants,
                        preparing_unit, notes, source_id, created_by)
                    select gen_random_uuid(), 'agency', \(Self.agency), e.week, e.starts_at, e.ends_at, e.all_day, e.place, e.content, e.in_charge,
                        e.participants, e.preparing_unit, e.notes, e.id, \(caller.id)
                    from schedule_entries e join schedule_weeks w on w.scope = 'unit' and w.owner_id = e.owner_id and w.week = e.week
                    where e.scope = 'unit' and e.week = \(week)::date and w.state = 'submitted'
                    on conflict (scope, owner_id, source_id) do nothing
                    """, logger: logger)
                try await setState(.draft, scope: "agency", owner: Self.agency, week: week, by: caller.id, connection, keepPublished: true)
                logger.info("agency week compiled", metadata: ["week": "\(week)", "by": "\(caller.username)"])
                return try await schedule(scope: "agency", owner: Self.agency, from: week, days: 7, connection)
            }
        }
        api.post("schedule/agency/weeks/:week/publish") { _, context -> Schedule in
            let caller = try context.require(.calendarPublishAgency)
            let week = try Self.week(context)
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await setState(.published, scope: "agency", owner: Self.agency, week: week, by: caller.id, connection)
                var people: [UUID] = []
                for try await id in try await connection.query("select user_id from people where active", logger: logger).decode(UUID.self) {
                    people.append(id)
                }
                if !people.isEmpty {
                    let request = NotificationRequestV1(
                        requestId: UUID(), recipients: people, channels: [.inApp], title: "Lịch công tác cơ quan tuần \(week)",
                        body: "Văn phòng đã phát hành lịch công tác tuần bắt đầu \(week).", link: "/lich-cong-tac?tuan=\(week)")
                    try await Outbox.enqueue(
                        OutboxMessage(
                            type: NotificationRequestV1.messageType, exchange: Routes.eventsExchange, routingKey: Routes.notificationRequestedKey,
                            body: try request.encoded()), on: connection, logger: logger)
                }
                logger.info("agency week published", metadata: ["week": "\(week)", "by": "\(caller.username)"])
                return try await schedule(scope: "agency", owner: Self.agency, from: week, days: 7, connection)
            }
        }
        api.get("schedule") { request, context -> Schedule in
            let caller = try context.requireCaller()
            let p = request.uri.queryParameters
            let scope = p.get("scope") ?? "agency"
            guard ["person", "unit", "leaders", "agency"].contains(scope) else {
                throw ProblemDetails.invalid([.init(field: "scope", message: "Phạm vi là person, unit, leaders hoặc agency.")])
            }
            let owner: UUID
            switch scope {
            case "person": owner = p.get("userId").flatMap(UUID.init(uuidString:)) ?? caller.id
            case "unit":
                guard let unit = p.get("unitId").flatMap(UUID.init(uuidString:)) ?? caller.unit?.id else {
                    throw ProblemDetails.invalid([.init(field: "unitId", message: "Chọn đơn vị.")])
                }
                owner = unit
            default: owner = Self.agency
            }
            let from = p.get("from").flatMap(MeetingRoutes.date) ?? Date()
            let days = ["day": 1, "week": 7, "month": 31][p.get("view") ?? "week"] ?? 7
            let start = p.get("view") == "week" || p.get("view") == nil ? MeetingRoutes.date(ScheduleWeek.monday(of: from).text) ?? from : from
            return try await client.withConnection { connection in
                try await mayRead(scope: scope, owner: owner, caller: caller, connection)
                return try await schedule(scope: scope, owner: owner, from: DayKey(start).text, days: days, connection, publishedOnly: scope == "agency"
                    && !caller.has(.calendarPublishAgency))
            }
        }
    }

    func create(_ input: Input, by caller: Caller) async throws -> Entry {
        let content = VietnameseText.nfc(input.content).trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [ProblemDetails.FieldError] = []
        if content.isEmpty { problems.append(.init(field: "content", message: "Thiếu nội dung công việc.")) }
        if input.end < input.start { problems.append(.init(field: "end", message: "Giờ kết thúc phải sau giờ bắt đầu.")) }
        guard ["person", "unit", "leaders", "agency"].contains(input.scope) else {
            throw ProblemDetails.invalid([.init(field: "scope", message: "Phạm vi là person, unit, leaders hoặc agency.")])
        }
        guard problems.isEmpty else { throw ProblemDetails.invalid(problems) }
        let owner: UUID
        switch input.scope {
        case "person": owner = caller.id
        case "unit":
            guard let unit = input.unitId ?? caller.unit?.id else { throw ProblemDetails.invalid([.init(field: "unitId", message: "Chọn đơn vị.")]) }
            owner = unit
        default: owner = Self.agency
        }
        let week = ScheduleWeek.monday(of: input.start).text
        let entry = Entry(
            id: UUID(), scope: input.scope, ownerId: owner, start: input.start, end: input.end, allDay: input.allDay ?? false,
            place: VietnameseText.clean(input.place ?? ""), content: content, inCharge: VietnameseText.clean(input.inCharge ?? ""),
            participants: VietnameseText.clean(input.participants ?? ""), preparingUnit: VietnameseText.clean(input.preparingUnit ?? ""),
            notes: VietnameseText.nfc(input.notes ?? ""))
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            try await mayWrite(scope: entry.scope, owner: owner, week: week, caller: caller, connection)
            try await connection.query(
                """
                insert into schedule_entries (id, scope, owner_id, week, starts_at, ends_at, all_day, place, content, in_charge, participants,
                    preparing_unit, notes, created_by)
                values (\(entry.id), \(entry.scope), \(owner), \(week)::date, \(entry.start), \(entry.end), \(entry.allDay), \(entry.place),
                    \(entry.content), \(entry.inCharge), \(entry.participants), \(entry.preparingUnit), \(entry.notes), \(caller.id))
                """, logger: logger)
        }
        logger.info("schedule entry added", metadata: ["scope": "\(entry.scope)", "by": "\(caller.username)"])
        return entry
    }

    /// Who may change a scope's entries: the person their own; a unit's people while its week is a
    /// draft; the office the leaders' and the agency's.
    func mayWrite(scope: String, owner: UUID, week: String, caller: Caller, _ connection: PostgresConnection) async throws {
        switch scope {
        case "person":
            guard owner == caller.id else { throw ProblemDetails.forbidden("Chỉ sửa lịch của chính mình.") }
        case "unit":
            var member = caller.unit?.id == owner
            if !member { member = try await isLeader(caller.id, of: owner, connection) }
            guard member else { throw ProblemDetails.forbidden("Chỉ người của đơn vị ghi lịch của đơn vị.") }
            guard ScheduleWeek.unitMayEdit(try await state(scope: "unit", owner: owner, week: week, connection)) else {
                throw ProblemDetails.conflict("Lịch tuần của đơn vị đã gửi Văn phòng, không sửa được nữa.")
            }
        default:
            guard caller.has(.calendarPublishAgency) else { throw AccessDenied.missing(.calendarPublishAgency) }
        }
    }

    /// A person's own schedule is theirs alone; a unit's week, drafts included, is for its people, its
    /// leaders and the office that compiles the agency's week. The leaders' and the agency's are for all.
    func mayRead(scope: String, owner: UUID, caller: Caller, _ connection: PostgresConnection) async throws {
        switch scope {
        case "person":
            guard owner == caller.id else { throw ProblemDetails.forbidden("Chỉ xem được lịch cá nhân của chính mình.") }
        case "unit":
            if caller.unit?.id == owner || caller.has(.calendarPublishAgency) { return }
            guard try await isLeader(caller.id, of: owner, connection) else {
                throw ProblemDetails.forbidden("Chỉ người của đơn vị xem được lịch của đơn vị.")
            }
        default:
            return
        }
    }

    func isLeader(_ user: UUID, of unit: UUID, _ connection: PostgresConnection) async throws -> Bool {
        for try await leaders in try await connection.query("select leader_ids from units where unit_id = \(unit)", logger: logger).decode([UUID].self) {
            return leaders.contains(user)
        }
        return false
    }

    func state(scope: String, owner: UUID, week: String, _ connection: PostgresConnection) async throws -> ScheduleWeek.State? {
        for try await state in try await connection.query(
            "select state from schedule_weeks where scope = \(scope) and owner_id = \(owner) and week = \(week)::date", logger: logger
        ).decode(String.self) { return ScheduleWeek.State(rawValue: state) }
        return nil
    }

    func setState(
        _ state: ScheduleWeek.State, scope: String, owner: UUID, week: String, by user: UUID, _ connection: PostgresConnection, keepPublished: Bool = false
    ) async throws {
        try await connection.query(
            """
            insert into schedule_weeks (scope, owner_id, week, state, changed_by) values (\(scope), \(owner), \(week)::date, \(state.rawValue), \(user))
            on conflict (scope, owner_id, week) do update set
                state = case when \(keepPublished) and schedule_weeks.state = 'published' then 'published' else excluded.state end,
                changed_by = excluded.changed_by, changed_at = now(), sequence = schedule_weeks.sequence + 1
            """, logger: logger)
    }

    func schedule(scope: String, owner: UUID, from: String, days: Int, _ connection: PostgresConnection, publishedOnly: Bool = false) async throws -> Schedule {
        let state = try await self.state(scope: scope, owner: owner, week: ScheduleWeek.monday(of: MeetingRoutes.date(from) ?? Date()).text, connection)
        guard let start = MeetingRoutes.date(from) else { throw ProblemDetails.invalid([.init(field: "from", message: "Ngày dạng 2026-12-01.")]) }
        let end = start.addingTimeInterval(TimeInterval(days) * 86_400)
        var byDay: [String: [Entry]] = [:]
        if !(publishedOnly && state != .published) {
            for try await (id, entryScope, ownerID, starts, ends, allDay, place, content, inCharge, participants, preparing, notes) in try await connection.query(
                """
                select id, scope, owner_id, starts_at, ends_at, all_day, place, content, in_charge, participants, preparing_unit, notes
                from schedule_entries where scope = \(scope) and owner_id = \(owner) and starts_at >= \(start) and starts_at < \(end)
                order by starts_at, content
                """, logger: logger
            ).decode((UUID, String, UUID, Date, Date, Bool, String, String, String, String, String, String).self) {
                byDay[DayKey(starts).text, default: []].append(
                    Entry(
                        id: id, scope: entryScope, ownerId: ownerID, start: starts, end: ends, allDay: allDay, place: place, content: content,
                        inCharge: inCharge, participants: participants, preparingUnit: preparing, notes: notes))
            }
        }
        let calendar = Recurrence.calendar
        let dayList = (0..<days).compactMap { calendar.date(byAdding: .day, value: $0, to: start) }.map { DayKey($0).text }
        return Schedule(scope: scope, days: dayList.map { Day(date: $0, entries: byDay[$0] ?? []) }, state: state?.rawValue)
    }

    static func week(_ context: ServiceRequestContext) throws -> String {
        guard let text = context.parameters.get("week"), let date = MeetingRoutes.date(text) else {
            throw ProblemDetails.invalid([.init(field: "week", message: "Tuần ghi bằng ngày thứ Hai, ví dụ 2026-11-30.")])
        }
        return ScheduleWeek.monday(of: date).text
    }
}
