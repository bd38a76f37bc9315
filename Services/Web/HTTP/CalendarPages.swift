import Foundation
import Hummingbird

/// Lịch công tác and cuộc họp: the week by day (mine, my unit, the leaders, the agency) with my
/// meetings, inviting to a meeting, a meeting's page with the answers, and answering.
struct CalendarPages {
    let app: WebApp

    struct Entry: Decodable { var start: Date; var end: Date; var allDay: Bool; var place: String; var content: String; var inCharge: String; var participants: String }
    struct Day: Decodable { var date: String; var entries: [Entry] }
    struct Schedule: Decodable { var days: [Day]; var state: String? }
    struct Occurrence: Decodable { var meetingId: UUID; var title: String; var start: Date; var end: Date; var room: String?; var place: String? }
    struct Occurrences: Decodable { var items: [Occurrence] }
    struct Feed: Decodable { var url: String }
    struct Meeting: Decodable {
        var id: UUID
        var title: String
        var start: Date
        var end: Date
        var room: String?
        var place: String?
        var organizerId: UUID
        var organizerName: String
        var invitation: String
        var state: String
        var attendees: [Attendee]
        var warnings: [String]
        struct Attendee: Decodable { var userId: UUID; var name: String; var answer: String; var reason: String? }
    }

    static let scopes = [("agency", "Cơ quan"), ("leaders", "Lãnh đạo"), ("unit", "Đơn vị"), ("person", "Của tôi")]
    static let answers = ["pending": "Chưa trả lời", "attend": "Dự họp", "decline": "Không dự", "delegate": "Cử người đi thay"]
    static let weekdays = ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"]

    func add(to router: Router<WebApp.Context>) {
        router.get("lich-cong-tac") { request, _ -> Response in
            await app.page(request) { session in
                let scope = Self.scopes.first { $0.0 == request.query("pham-vi") }?.0 ?? "agency"
                let day = Labels.isoDay(request.query("tuan")) ?? Self.iso(Date())
                let schedule = try await app.backend.get(.calendar, "/api/v1/schedule?scope=\(scope)&view=week&from=\(day)", token: session.token, as: Schedule.self)
                let monday = schedule.days.first?.date ?? day
                let from = monday + "T00:00:00+07:00"
                let to = (Self.shift(monday, days: 7) ?? monday) + "T00:00:00+07:00"
                let meetings = try await app.backend.get(
                    .calendar, "/api/v1/meetings?from=\(from.urlQueryEncoded)&to=\(to.urlQueryEncoded)", token: session.token, as: Occurrences.self).items
                let feed = try? await app.backend.get(.calendar, "/api/v1/calendar/feed", token: session.token, as: Feed.self)
                let days = schedule.days.map { day -> [String: Any] in
                    let mine = meetings.filter { Self.iso($0.start) == day.date }
                    return [
                        "label": Self.dayLabel(day.date), "today": day.date == Self.iso(Date()),
                        "entries": day.entries.map { entry -> [String: Any] in
                            [
                                "time": entry.allDay ? "Cả ngày" : "\(Self.time(entry.start))–\(Self.time(entry.end))", "content": entry.content,
                                "place": entry.place, "inCharge": entry.inCharge, "participants": entry.participants,
                            ]
                        },
                        "meetings": mine.map { m -> [String: Any] in
                            ["href": "/cuoc-hop/\(m.meetingId.uuidString.lowercased())", "title": m.title, "time": "\(Self.time(m.start))–\(Self.time(m.end))",
                             "where": m.room ?? m.place ?? ""]
                        },
                        "empty": day.entries.isEmpty && mine.isEmpty,
                    ]
                }
                return app.renderer.page(
                    "calendar-week", title: "Lịch công tác", session: session, section: .calendar,
                    [
                        "scopes": Self.scopes.map { ["href": "/lich-cong-tac?pham-vi=\($0.0)&tuan=\(Labels.day(monday))", "label": $0.1, "active": $0.0 == scope] },
                        "week": "\(Labels.day(monday)) – \(Labels.day(Self.shift(monday, days: 6)))", "days": days,
                        "previous": "/lich-cong-tac?pham-vi=\(scope)&tuan=\(Labels.day(Self.shift(monday, days: -7)))",
                        "next": "/lich-cong-tac?pham-vi=\(scope)&tuan=\(Labels.day(Self.shift(monday, days: 7)))",
                        "unpublished": scope == "agency" && schedule.state != "published", "feed": feed?.url ?? "",
                    ])
            }
        }
        router.get("cuoc-hop/moi") { request, _ -> Response in
            await app.page(request) { session in try await invitePage(session, values: [:]) }
        }
        router.post("cuoc-hop/moi") { request, _ -> Response in
            await app.page(request) { session in
                let form = try await WebForm.read(request, limit: 1 << 18)
                try session.checkCSRF(form)
                struct Invite: Encodable {
                    var title: String; var start: String; var end: String; var room: String?; var place: String?
                    var attendees: [[String: String]]; var invitation: String?; var overrideRoom: Bool
                }
                guard let day = Labels.isoDay(form["date"]), let start = Self.clock(form["start"]), let end = Self.clock(form["end"]) else {
                    return try await invitePage(
                        session, values: form.values, problem: BackendProblem(status: 422, title: "Dữ liệu chưa hợp lệ", detail: nil,
                            fields: ["date": "Nhập ngày dạng ngày/tháng/năm và giờ dạng 14:00."]))
                }
                let attendees = form.all("attendee").compactMap { value -> [String: String]? in
                    let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { return nil }
                    return [parts[0] == "unit" ? "unitId" : "userId": parts[1]]
                }
                do {
                    struct Created: Decodable { var id: UUID; var warnings: [String] }
                    let created = try await app.backend.post(
                        .calendar, "/api/v1/meetings", token: session.token,
                        Invite(
                            title: form["title"] ?? "", start: "\(day)T\(start):00+07:00", end: "\(day)T\(end):00+07:00", room: form["room"], place: form["place"],
                            attendees: attendees, invitation: form["invitation"], overrideRoom: form["overrideRoom"] == "on"), as: Created.self)
                    let warn = created.warnings.isEmpty ? "" : "&ban=" + created.warnings.joined(separator: ", ").urlQueryEncoded
                    return Renderer.redirect("/cuoc-hop/\(created.id.uuidString.lowercased())?thongbao=da-moi\(warn)", session: session)
                } catch let problem as BackendProblem where [400, 409, 422].contains(problem.status) {
                    return try await invitePage(session, values: form.values, problem: problem)
                }
            }
        }
        router.get("cuoc-hop/:id") { request, context -> Response in
            await app.page(request) { session in
                try await meetingPage(try IncomingPages.id(context), session: session, notice: request.query("thongbao"), busy: request.query("ban"))
            }
        }
        router.post("cuoc-hop/:id/tra-loi") { request, context -> Response in
            await app.page(request) { session in
                let id = try IncomingPages.id(context)
                let form = try await WebForm.read(request, limit: 1 << 16)
                try session.checkCSRF(form)
                struct Reply: Encodable { var answer: String; var reason: String?; var delegateTo: String? }
                do {
                    _ = try await app.backend.post(
                        .calendar, "/api/v1/meetings/\(id)/reply", token: session.token,
                        Reply(answer: form["answer"] ?? "", reason: form["reason"], delegateTo: form["delegateTo"]?.split(separator: ":").last.map(String.init)),
                        as: Backend.Empty.self)
                    return Renderer.redirect("/cuoc-hop/\(id.uuidString.lowercased())?thongbao=da-tra-loi", session: session)
                } catch let problem as BackendProblem where [400, 404, 422].contains(problem.status) {
                    return try await meetingPage(id, session: session, error: problem.summary)
                }
            }
        }
    }

    func invitePage(_ session: WebSession, values: [String: String], problem: BackendProblem? = nil) async throws -> Response {
        let people = try await Directory.choices(app, session)
        return app.renderer.page(
            "meeting-new", title: "Mời họp", session: session, section: .calendar, status: problem == nil ? .ok : .unprocessableContent,
            ["people": people, "values": values, "error": problem?.summary ?? "", "conflict": problem?.status == 409, "errors": problem?.fields ?? [:]])
    }

    func meetingPage(_ id: UUID, session: WebSession, notice: String? = nil, busy: String? = nil, error: String? = nil) async throws -> Response {
        let meeting = try await app.backend.get(.calendar, "/api/v1/meetings/\(id)", token: session.token, as: Meeting.self)
        let me = session.user.flatMap(\.id)
        let mine = meeting.attendees.first { $0.userId == me }
        let people = mine == nil ? [] : try await Directory.choices(app, session).filter { ($0["value"] as? String)?.hasPrefix("user:") == true }
        return app.renderer.page(
            "meeting", title: meeting.title, session: session, section: .calendar, status: error == nil ? .ok : .unprocessableContent,
            [
                "base": "/cuoc-hop/\(id.uuidString.lowercased())", "title": meeting.title,
                "when": "\(Self.time(meeting.start))–\(Self.time(meeting.end)), \(Self.dayLabel(Self.iso(meeting.start)))",
                "where": meeting.room ?? meeting.place ?? "", "organizer": meeting.organizerName, "invitation": meeting.invitation,
                "cancelled": meeting.state == "cancelled",
                "attendees": meeting.attendees.map { ["name": $0.name, "answer": Self.answers[$0.answer] ?? $0.answer, "reason": $0.reason ?? ""] },
                "invited": mine != nil, "myAnswer": mine.map { Self.answers[$0.answer] ?? $0.answer } ?? "", "people": people,
                "notice": notice == "da-moi" ? "Đã gửi giấy mời họp." : notice == "da-tra-loi" ? "Đã gửi trả lời." : "",
                "busy": busy.map { "Lưu ý: \($0) đã có lịch họp khác vào giờ này." } ?? "", "error": error ?? "",
            ])
    }

    static func iso(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Labels.zone
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    static func time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Labels.zone
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: date)
    }

    /// `2026-12-02` → `Thứ Tư, 02/12/2026`.
    static func dayLabel(_ iso: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Labels.zone
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else { return iso }
        return "\(weekdays[calendar.component(.weekday, from: date) - 1]), \(Labels.day(iso))"
    }

    static func shift(_ iso: String, days: Int) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Labels.zone
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12)),
            let moved = calendar.date(byAdding: .day, value: days, to: date)
        else { return nil }
        return Self.iso(moved)
    }

    /// `9:30` or `09:30` → `09:30`.
    static func clock(_ text: String?) -> String? {
        guard let parts = text?.split(separator: ":").compactMap({ Int($0) }), parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) else {
            return nil
        }
        return String(format: "%02d:%02d", parts[0], parts[1])
    }
}
