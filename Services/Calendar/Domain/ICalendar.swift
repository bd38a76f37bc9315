import Foundation

/// An iCalendar (RFC 5545) document of events, as phones and desktop calendars subscribe to it: CRLF
/// lines folded at 75 octets without splitting a character, text escaped, times in Asia/Ho_Chi_Minh
/// with its VTIMEZONE.
struct ICalendar: Sendable {
    struct Event: Sendable {
        /// Stable per event: changes keep it, with a higher `sequence`.
        var uid: String
        var sequence: Int
        var start: Date
        var end: Date
        var allDay = false
        var summary: String
        var location: String?
        var description: String?
        var organizer: Person?
        var attendees: [Attendee] = []
        var rule: String?
        var exceptions: [Date] = []
        var cancelled = false
        var updated: Date
    }

    struct Person: Sendable {
        var id: UUID
        var name: String
    }

    struct Attendee: Sendable {
        var person: Person
        /// NEEDS-ACTION, ACCEPTED, DECLINED, DELEGATED.
        var status: String
    }

    var name: String
    var events: [Event]

    func render(now: Date = Date()) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//iOffice//Lich cong tac//VI", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + Self.escape(name), "X-WR-TIMEZONE:Asia/Ho_Chi_Minh",
            "BEGIN:VTIMEZONE", "TZID:Asia/Ho_Chi_Minh", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0700",
            "TZOFFSETTO:+0700", "TZNAME:ICT", "END:STANDARD", "END:VTIMEZONE",
        ]
        for event in events {
            lines += ["BEGIN:VEVENT", "UID:" + event.uid, "DTSTAMP:" + Recurrence.utcStamp.string(from: now),
                "LAST-MODIFIED:" + Recurrence.utcStamp.string(from: event.updated), "SEQUENCE:\(event.sequence)"]
            if event.allDay {
                lines.append("DTSTART;VALUE=DATE:" + Recurrence.dayStamp.string(from: event.start))
                lines.append("DTEND;VALUE=DATE:" + Recurrence.dayStamp.string(from: event.end))
            } else {
                lines.append("DTSTART;TZID=Asia/Ho_Chi_Minh:" + Self.local.string(from: event.start))
                lines.append("DTEND;TZID=Asia/Ho_Chi_Minh:" + Self.local.string(from: event.end))
            }
            lines.append("SUMMARY:" + Self.escape(event.summary))
            if let location = event.location, !location.isEmpty { lines.append("LOCATION:" + Self.escape(location)) }
            if let description = event.description, !description.isEmpty { lines.append("DESCRIPTION:" + Self.escape(description)) }
            if let organizer = event.organizer {
                lines.append("ORGANIZER;CN=\(Self.parameter(organizer.name)):urn:uuid:\(organizer.id.uuidString.lowercased())")
            }
            for attendee in event.attendees {
                lines.append(
                    "ATTENDEE;CN=\(Self.parameter(attendee.person.name));ROLE=REQ-PARTICIPANT;PARTSTAT=\(attendee.status):urn:uuid:\(attendee.person.id.uuidString.lowercased())")
            }
            if let rule = event.rule { lines.append("RRULE:" + rule) }
            for exception in event.exceptions { lines.append("EXDATE;TZID=Asia/Ho_Chi_Minh:" + Self.local.string(from: exception)) }
            lines.append("STATUS:" + (event.cancelled ? "CANCELLED" : "CONFIRMED"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT values: backslash, semicolon, comma and newlines escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case ";": escaped += "\\;"
            case ",": escaped += "\\,"
            case "\n", "\r\n": escaped += "\\n"
            case "\r": continue
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A parameter value (a name in CN=): quoted, without the characters a quoted value cannot hold.
    static func parameter(_ text: String) -> String {
        "\"" + text.filter { $0 != "\"" && !$0.isNewline } + "\""
    }

    /// Lines longer than 75 octets continue on the next line after a space, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var result = ""
        var octets = 0
        var limit = 75
        for character in line {
            let size = String(character).utf8.count
            if octets + size > limit {
                result += "\r\n "
                octets = 0
                limit = 74  // the leading space counts
            }
            result.append(character)
            octets += size
        }
        return result
    }

    static let local: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = Recurrence.zone
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return formatter
    }()
}
