import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Quản lý cuộc họp: invitations, answers, changes and cancellation, with room conflicts refused and
/// busy attendees warned of; every invitation and change reaches the people through Notify.
struct MeetingRoutes {
    let client: PostgresClient
    let logger: Logger

    struct Input: Decodable {
        var title: String
        var start: Date
        var end: Date
        var room: String?
        var place: String?
        var chairId: UUID?
        var attendees: [Target]
        var documents: [Document]?
        var invitation: String?
        /// RRULE subset: FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY (weekly), UNTIL or COUNT.
        var rrule: String?
        var reminderMinutes: Int?
        /// Book the room although another meeting holds it (logged).
        var overrideRoom: Bool?
        struct Target: Decodable { var userId: UUID?; var unitId: UUID? }
        struct Document: Codable, Sendable { var title: String; var link: String }
    }

    struct View: ResponseCodable {
        var id: UUID
        var title: String
        var start: Date
        var end: Date
        var room: String?
        var place: String?
        var organizerId: UUID
        var organizerName: String
        var invitation: String
        var rrule: String?
        var exceptions: [String]
        var state: String
        var sequence: Int
        var attendees: [Attendee]
        /// Invited people already in another meeting then.
        var warnings: [String]
        struct Attendee: Codable, Sendable { var userId: UUID; var name: String; var answer: String; var reason: String?; var delegateTo: UUID?; var viaUnit: UUID? }
    }

    struct Occurrence: Codable, Sendable { var meetingId: UUID; var title: String; var start: Date; var end: Date; var room: String?; var place: String?; var state: String }
    struct Occurrences: ResponseCodable { var items: [Occurrence] }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("meetings") { request, context -> EditedResponse<View> in
            let caller = try context.requireCaller()
            let input = try await request.json(Input.self, context: context, limit: 1 << 20)
            return EditedResponse(status: .created, response: try await save(input, id: nil, by: caller))
        }
        api.put("meetings/:id") { request, context -> View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "cuộc họp")
            let input = try await request.json(Input.self, context: context, limit: 1 << 20)
            return try await save(input, id: id, by: caller)
        }
        api.get("meetings") { request, context -> Occurrences in
            let caller = try context.requireCaller()
            let from = request.uri.queryParameters.get("from").flatMap(Self.date) ?? Date().addingTimeInterval(-7 * 86_400)
            let to = request.uri.queryParameters.get("to").flatMap(Self.date) ?? from.addingTimeInterval(35 * 86_400)
            guard from < to, to.timeIntervalSince(from) <= MeetingBounds.longestListing else {
                throw ProblemDetails.invalid([.init(field: "to", message: "Khoảng thời gian phải kết thúc sau khi bắt đầu và dài không quá 400 ngày.")])
            }
            return try await client.withConnection { connection in
                let meetings = try await MeetingStore.meetings(
                    where: """
                        (organizer_id = \(caller.id) or id in (select meeting_id from meeting_attendees where user_id = \(caller.id)))
                        and starts_at < \(to) and state = 'scheduled'
                        """, on: connection, logger: logger)
                var items: [Occurrence] = []
                for meeting in meetings {
                    let span = meeting.end.timeIntervalSince(meeting.start)
                    for start in meeting.starts(in: from..<to) {
                        items.append(
                            Occurrence(meetingId: meeting.id, title: meeting.title, start: start, end: start.addingTimeInterval(span), room: meeting.room,
                                place: meeting.place, state: meeting.state))
                    }
                }
                return Occurrences(items: items.sorted { $0.start < $1.start })
            }
        }
        api.get("meetings/:id") { _, context -> View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "cuộc họp")
            return try await client.withConnection { connection in
                guard let meeting = try await MeetingStore.meeting(id, on: connection, logger: logger) else { throw ProblemDetails.notFound("Không tìm thấy cuộc họp.") }
                let view = try await Self.view(meeting, warnings: [], connection, logger)
                guard meeting.organizerId == caller.id || view.attendees.contains(where: { $0.userId == caller.id }) else {
                    throw ProblemDetails.notFound("Không tìm thấy cuộc họp.")
                }
                return view
            }
        }
        api.post("meetings/:id/reply") { request, context -> View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "cuộc họp")
            struct Reply: Decodable { var answer: String; var reason: String?; var delegateTo: UUID? }
            let reply = try await request.json(Reply.self, context: context)
            let answer: MeetingAnswer
            switch MeetingAnswer.parse(answer: reply.answer, reason: reply.reason.map(VietnameseText.nfc), delegateTo: reply.delegateTo, by: caller.id) {
            case .success(let value): answer = value
            case .failure(let refusal): throw ProblemDetails.invalid([.init(field: refusal.field, message: refusal.message)])
            }
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                guard let meeting = try await MeetingStore.meeting(id, forUpdate: true, on: connection, logger: logger), meeting.state == "scheduled" else {
                    throw ProblemDetails.notFound("Không tìm thấy cuộc họp đang diễn ra.")
                }
                var updated = false
                var reason: String?
                var delegate: UUID?
                if case .decline(let why) = answer { reason = why }
                if case .delegate(let to) = answer { delegate = to }
                for try await _ in try await connection.query(
                    """
                    update meeting_attendees set answer = \(answer.code), reason = \(reason), delegate_to = \(delegate), answered_at = now()
                    where meeting_id = \(id) and user_id = \(caller.id) returning 1
                    """, logger: logger) { updated = true }
                guard updated else { throw ProblemDetails.notFound("Bạn không được mời dự cuộc họp này.") }
                if let delegate {
                    // The person sent in one's place is invited too.
                    try await connection.query(
                        "insert into meeting_attendees (meeting_id, user_id) values (\(id), \(delegate)) on conflict do nothing", logger: logger)
                    try await MeetingStore.notify(
                        [delegate], title: "Mời họp (đi thay \(caller.fullName)): \(meeting.title)",
                        body: "\(MeetingChange.span(meeting.start, meeting.end)), \(meeting.room ?? meeting.place ?? "")", sms: caller.has(.smsSend), sender: caller.id, meeting: id, on: connection, logger: logger)
                }
                if case .decline = answer {
                    try await MeetingStore.notify(
                        [meeting.organizerId], title: "\(caller.fullName) không dự họp", body: "\(meeting.title): \(reason ?? "")", sms: caller.has(.smsSend), sender: caller.id, meeting: id,
                        on: connection, logger: logger)
                }
                try await MeetingStore.log(id, actor: caller.id, action: "reply.\(answer.code)", detail: reason, on: connection, logger: logger)
                logger.info("meeting reply", metadata: ["meeting": "\(id)", "user": "\(caller.username)", "answer": "\(answer.code)"])
                return try await Self.view(meeting, warnings: [], connection, logger)
            }
        }
        api.post("meetings/:id/cancel") { request, context -> View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "cuộc họp")
            struct Cancel: Decodable { var reason: String? }
            let reason = try await request.json(Cancel.self, context: context).reason.map(VietnameseText.clean) ?? ""
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                guard var meeting = try await MeetingStore.meeting(id, forUpdate: true, on: connection, logger: logger), meeting.organizerId == caller.id else {
                    throw ProblemDetails.notFound("Không tìm thấy cuộc họp bạn tổ chức.")
                }
                try await connection.query(
                    "update meetings set state = 'cancelled', sequence = sequence + 1, updated_at = now() where id = \(id)", logger: logger)
                meeting.state = "cancelled"
                meeting.sequence += 1
                let people = try await MeetingStore.attendees(id, on: connection, logger: logger).map(\.id)
                try await MeetingStore.notify(
                    people, title: "Hủy họp: \(meeting.title)", body: "\(MeetingChange.span(meeting.start, meeting.end)). \(reason)", sms: caller.has(.smsSend), sender: caller.id, meeting: id,
                    on: connection, logger: logger)
                try await MeetingStore.log(id, actor: caller.id, action: "cancelled", detail: reason, on: connection, logger: logger)
                return try await Self.view(meeting, warnings: [], connection, logger)
            }
        }
        api.post("meetings/:id/exceptions") { request, context -> View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "cuộc họp")
            struct Exception: Decodable { var date: String }
            let text = try await request.json(Exception.self, context: context).date
            guard let day = DayKey(text: text) else { throw ProblemDetails.invalid([.init(field: "date", message: "Ngày dạng 2026-12-31.")]) }
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                guard var meeting = try await MeetingStore.meeting(id, forUpdate: true, on: connection, logger: logger), meeting.organizerId == caller.id,
                    meeting.rule != nil
                else { throw ProblemDetails.notFound("Không tìm thấy cuộc họp định kỳ bạn tổ chức.") }
                try await connection.query(
                    """
                    update meetings set exdates = array_append(exdates, \(day.text)), sequence = sequence + 1, updated_at = now()
                    where id = \(id) and not (\(day.text) = any(exdates))
                    """, logger: logger)
                meeting.exceptions.append(day.text)
                let people = try await MeetingStore.attendees(id, on: connection, logger: logger).map(\.id)
                try await MeetingStore.notify(
                    people, title: "Nghỉ họp: \(meeting.title)", body: "Không họp ngày \(day.text).", sms: caller.has(.smsSend), sender: caller.id, meeting: id, on: connection, logger: logger)
                return try await Self.view(meeting, warnings: [], connection, logger)
            }
        }
    }

    func save(_ input: Input, id existing: UUID?, by caller: Caller) async throws -> View {
        let title = VietnameseText.clean(input.title)
        let room = input.room.map(VietnameseText.clean).flatMap { $0.isEmpty ? nil : $0 }
        let place = input.place.map(VietnameseText.clean).flatMap { $0.isEmpty ? nil : $0 }
        var problems: [ProblemDetails.FieldError] = []
        if title.isEmpty { problems.append(.init(field: "title", message: "Thiếu tên cuộc họp.")) }
        if input.end <= input.start { problems.append(.init(field: "end", message: "Giờ kết thúc phải sau giờ bắt đầu.")) }
        if room == nil && place == nil { problems.append(.init(field: "room", message: "Ghi phòng họp hoặc địa điểm.")) }
        if input.attendees.isEmpty { problems.append(.init(field: "attendees", message: "Chọn người hoặc đơn vị dự họp.")) }
        if let minutes = input.reminderMinutes, !MeetingBounds.reminderMinutes.contains(minutes) {
            problems.append(.init(field: "reminderMinutes", message: "Nhắc trước từ 0 đến \(MeetingBounds.reminderMinutes.upperBound) phút."))
        }
        let rule = input.rrule.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let recurrence = rule.flatMap(Recurrence.init(rule:))
        if rule != nil && recurrence == nil {
            problems.append(.init(field: "rrule", message: "Quy tắc lặp chưa đúng (ví dụ FREQ=WEEKLY;BYDAY=MO;COUNT=10)."))
        }
        guard problems.isEmpty else { throw ProblemDetails.invalid(problems) }
        return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            var before: MeetingStore.Meeting?
            if let existing {
                guard let found = try await MeetingStore.meeting(existing, forUpdate: true, on: connection, logger: logger), found.organizerId == caller.id,
                    found.state == "scheduled"
                else { throw ProblemDetails.notFound("Không tìm thấy cuộc họp bạn tổ chức.") }
                before = found
            }
            if let room, let holder = try await MeetingStore.roomHolder(
                room, start: input.start, end: input.end, rule: recurrence, except: existing, on: connection, logger: logger)
            {
                guard input.overrideRoom == true else {
                    throw ProblemDetails.conflict(
                        "Phòng “\(room)” đã được đặt cho cuộc họp “\(holder.title)” (\(MeetingChange.span(holder.start, holder.end)), \(holder.organizerName)).")
                }
                logger.notice("room double-booked by override", metadata: ["room": "\(room)", "holder": "\(holder.id)", "by": "\(caller.username)"])
            }
            // People invited directly, and each invited unit's leaders, who name who attends.
            var people = Set(input.attendees.compactMap(\.userId))
            var viaUnit: [UUID: UUID] = [:]
            for unit in input.attendees.compactMap(\.unitId) {
                var leaders: [UUID] = []
                for try await ids in try await connection.query("select leader_ids from units where unit_id = \(unit) and active", logger: logger)
                    .decode([UUID].self) { leaders = ids }
                guard !leaders.isEmpty else {
                    throw ProblemDetails.invalid([.init(field: "attendees", message: "Đơn vị được mời chưa có lãnh đạo để nhận giấy mời.")])
                }
                for leader in leaders where !people.contains(leader) {
                    people.insert(leader)
                    viaUnit[leader] = unit
                }
            }
            let id = existing ?? UUID()
            let invitation = VietnameseText.nfc(input.invitation ?? "")
            // The organiser's name as the directory has it; the token's if the directory has not caught up.
            var organizerName = caller.fullName
            for try await name in try await connection.query("select full_name from people where user_id = \(caller.id)", logger: logger)
                .decode(String.self) { organizerName = name }
            if existing == nil {
                try await connection.query(
                    """
                    insert into meetings (id, organizer_id, organizer_name, title, starts_at, ends_at, room, place, chair_id, invitation, rrule,
                        reminder_minutes, room_override, sms_allowed)
                    values (\(id), \(caller.id), \(organizerName), \(title), \(input.start), \(input.end), \(room), \(place), \(input.chairId),
                        \(invitation), \(recurrence?.rule), \(input.reminderMinutes ?? 60), \(input.overrideRoom ?? false), \(caller.has(.smsSend)))
                    """, logger: logger)
            } else {
                try await connection.query(
                    """
                    update meetings set title = \(title), starts_at = \(input.start), ends_at = \(input.end), room = \(room), place = \(place),
                        chair_id = \(input.chairId), invitation = \(invitation), rrule = \(recurrence?.rule),
                        reminder_minutes = \(input.reminderMinutes ?? 60), reminded_until = null, sequence = sequence + 1, updated_at = now(),
                        sms_allowed = \(caller.has(.smsSend))
                    where id = \(id)
                    """, logger: logger)
            }
            let previous = Set(try await MeetingStore.attendees(id, on: connection, logger: logger).map(\.id))
            for person in people where !previous.contains(person) {
                try await connection.query(
                    "insert into meeting_attendees (meeting_id, user_id, via_unit) values (\(id), \(person), \(viaUnit[person]))", logger: logger)
            }
            if let documents = input.documents {
                try await connection.query("delete from meeting_documents where meeting_id = \(id)", logger: logger)
                for document in documents {
                    try await connection.query(
                        "insert into meeting_documents (meeting_id, title, link) values (\(id), \(VietnameseText.clean(document.title)), \(document.link))",
                        logger: logger)
                }
            }
            let location = room ?? place ?? ""
            if let before {
                let changes = MeetingChange.describe(
                    before: (before.start, before.end, before.room, before.place, before.title), after: (input.start, input.end, room, place, title))
                let everyone = Array(previous.union(people))
                if !changes.isEmpty {
                    try await MeetingStore.notify(
                        everyone, title: "Thay đổi lịch họp: \(title)", body: changes.joined(separator: "; "), sms: caller.has(.smsSend), sender: caller.id, meeting: id, on: connection, logger: logger)
                }
                let added = Array(people.subtracting(previous))
                try await MeetingStore.notify(
                    added, title: "Mời họp: \(title)", body: "\(MeetingChange.span(input.start, input.end)), \(location). \(invitation)", sms: caller.has(.smsSend), sender: caller.id, meeting: id,
                    on: connection, logger: logger)
                try await MeetingStore.log(id, actor: caller.id, action: "changed", detail: changes.joined(separator: "; "), on: connection, logger: logger)
            } else {
                try await MeetingStore.notify(
                    Array(people), title: "Mời họp: \(title)", body: "\(MeetingChange.span(input.start, input.end)), \(location). \(invitation)", sms: caller.has(.smsSend), sender: caller.id, meeting: id,
                    on: connection, logger: logger)
                try await MeetingStore.log(id, actor: caller.id, action: "invited", detail: nil, on: connection, logger: logger)
            }
            logger.info("meeting saved", metadata: ["meeting": "\(id)", "by": "\(caller.username)"])
            let warnings = try await MeetingStore.busy(Array(people), start: input.start, end: input.end, except: id, on: connection, logger: logger)
            guard let saved = try await MeetingStore.meeting(id, on: connection, logger: logger) else { throw ProblemDetails.notFound("Không tìm thấy cuộc họp.") }
            return try await Self.view(saved, warnings: warnings, connection, logger)
        }
    }

    static func view(_ meeting: MeetingStore.Meeting, warnings: [String], _ connection: PostgresConnection, _ logger: Logger) async throws -> View {
        let attendees = try await MeetingStore.attendees(meeting.id, on: connection, logger: logger).map {
            View.Attendee(userId: $0.id, name: $0.name, answer: $0.answer, reason: $0.reason, delegateTo: $0.delegateTo, viaUnit: $0.viaUnit)
        }
        return View(
            id: meeting.id, title: meeting.title, start: meeting.start, end: meeting.end, room: meeting.room, place: meeting.place,
            organizerId: meeting.organizerId, organizerName: meeting.organizerName, invitation: meeting.invitation, rrule: meeting.rule,
            exceptions: meeting.exceptions, state: meeting.state, sequence: meeting.sequence, attendees: attendees, warnings: warnings)
    }

    static func date(_ text: String) -> Date? {
        ISO8601DateFormatter().date(from: text) ?? DayKey(text: text).flatMap { _ in
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = Recurrence.zone
            formatter.dateFormat = "yyyy-MM-dd"
            return formatter.date(from: text)
        }
    }
}
