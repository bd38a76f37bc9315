import Foundation

/// The week a work-schedule entry belongs to (Monday, in Vietnam), and the steps of a week: a unit
/// drafts, its leader submits it; the office compiles the submissions into the agency's week, edits
/// and publishes it.
enum ScheduleWeek {
    /// The Monday of `date`'s week.
    static func monday(of date: Date) -> DayKey {
        let calendar = Recurrence.calendar
        let weekday = calendar.component(.weekday, from: date)
        let back = (weekday + 5) % 7
        return DayKey(calendar.date(byAdding: .day, value: -back, to: date)!)
    }

    enum State: String, Sendable { case draft, submitted, published }

    /// Whether a unit's entries may still change: not once its leader submitted the week.
    static func unitMayEdit(_ state: State?) -> Bool { state == nil || state == .draft }
}
