import Foundation

/// What a meeting request may ask for. Each bound keeps the arithmetic done with the value (minutes to
/// seconds, periods times the interval, a range of dates) far from overflow and from a trap.
enum MeetingBounds {
    /// A reminder from the start itself to a week before.
    static let reminderMinutes = 0...10_080
    /// RRULE `INTERVAL` and `COUNT`.
    static let interval = 1...999
    static let count = 1...3_650
    /// The longest stretch one listing of meetings may cover.
    static let longestListing: TimeInterval = 400 * 86_400

    /// A stored reminder within the bounds, whatever an older version wrote.
    static func clampedReminder(_ minutes: Int) -> Int {
        min(max(minutes, reminderMinutes.lowerBound), reminderMinutes.upperBound)
    }
}
