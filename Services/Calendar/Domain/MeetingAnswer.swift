import Foundation

/// An attendee's answer to an invitation: attend, decline (with a reason), or delegate to someone
/// (a unit's leader names who goes this way).
enum MeetingAnswer: Equatable, Sendable {
    case attend
    case decline(reason: String)
    case delegate(to: UUID)

    /// From the request's words; a refusal says what is missing, in Vietnamese.
    static func parse(answer: String, reason: String?, delegateTo: UUID?, by attendee: UUID) -> Result<MeetingAnswer, Refusal> {
        switch answer {
        case "attend": return .success(.attend)
        case "decline":
            guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
                return .failure(Refusal(field: "reason", message: "Ghi lý do không dự họp."))
            }
            return .success(.decline(reason: reason))
        case "delegate":
            guard let delegateTo else { return .failure(Refusal(field: "delegateTo", message: "Chọn người đi họp thay.")) }
            guard delegateTo != attendee else { return .failure(Refusal(field: "delegateTo", message: "Không thể cử chính mình đi thay.")) }
            return .success(.delegate(to: delegateTo))
        default:
            return .failure(Refusal(field: "answer", message: "Trả lời là attend (dự), decline (không dự) hoặc delegate (cử người đi thay)."))
        }
    }

    var code: String {
        switch self {
        case .attend: "attend"
        case .decline: "decline"
        case .delegate: "delegate"
        }
    }

    /// PARTSTAT in an iCalendar feed.
    static func partStat(_ code: String) -> String {
        switch code {
        case "attend": "ACCEPTED"
        case "decline": "DECLINED"
        case "delegate": "DELEGATED"
        default: "NEEDS-ACTION"
        }
    }

    struct Refusal: Error, Equatable {
        var field: String
        var message: String
    }
}

/// What moved in a meeting, said the way the change notice tells attendees.
enum MeetingChange {
    static func describe(
        before: (start: Date, end: Date, room: String?, place: String?, title: String),
        after: (start: Date, end: Date, room: String?, place: String?, title: String)
    ) -> [String] {
        var changes: [String] = []
        if before.title != after.title { changes.append("Tên cuộc họp: \(before.title) → \(after.title)") }
        if before.start != after.start || before.end != after.end {
            changes.append("Thời gian: \(span(before.start, before.end)) → \(span(after.start, after.end))")
        }
        if (before.room ?? "") != (after.room ?? "") { changes.append("Phòng họp: \(before.room ?? "—") → \(after.room ?? "—")") }
        if (before.place ?? "") != (after.place ?? "") { changes.append("Địa điểm: \(before.place ?? "—") → \(after.place ?? "—")") }
        return changes
    }

    /// `14:00–16:00 ngày 02/12/2026`, in Vietnam.
    static func span(_ start: Date, _ end: Date) -> String {
        "\(format(start, "HH:mm"))–\(format(end, "HH:mm")) ngày \(format(start, "dd/MM/yyyy"))"
    }

    static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "vi_VN")
        formatter.timeZone = Recurrence.zone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
