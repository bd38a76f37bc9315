import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Ngày làm việc điều chỉnh: what the government announces each year (a Saturday worked in exchange for
/// a bridging day off, another day of Tết), kept by an admin as a catalog; `WorkingCalendar` lets them
/// override its rules.
struct WorkingDayAdjustmentEntry: CatalogEntry {
    static let path = "working-day-adjustments"
    static let table = "working_day_adjustments"
    static let columns = ["day", "working", "note"]
    static let orderBy = "day"
    static let label = "ngày điều chỉnh"

    var id: UUID
    /// `yyyy-MM-dd`.
    var day: String
    /// True: a working day (a swapped Saturday); false: a day off.
    var working: Bool
    var note: String?

    init(row r: PostgresRandomAccessRow) throws {
        id = try r["id"].decode(UUID.self)
        day = try r["day"].decode(String.self)
        working = try r["working"].decode(Bool.self)
        note = try r["note"].decode(String?.self)
    }

    func values() throws -> PostgresBindings {
        var binds = PostgresBindings()
        try binds.encode(day)
        try binds.encode(working)
        try binds.encode(note)
        return binds
    }

    func normalized() -> Result<Self, CatalogInvalid> {
        var entry = self
        entry.note = note.map(VietnameseText.clean).flatMap { $0.isEmpty ? nil : $0 }
        guard let date = CalendarDate(day.trimmingCharacters(in: .whitespaces)) else {
            return .failure(CatalogInvalid(errors: [.init(field: "day", message: "Ngày dạng năm-tháng-ngày, ví dụ 2027-05-03.")]))
        }
        entry.day = date.description
        return .success(entry)
    }

    static let migration = Migration(
        version: 15, name: "working day adjustments",
        statements: [
            """
            create table working_day_adjustments (
                id uuid primary key,
                day text not null unique check (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
                working boolean not null,
                note text)
            """
        ])

    /// The working calendar with every announced adjustment.
    static func calendar(on connection: PostgresConnection, logger: Logger) async throws -> WorkingCalendar {
        var calendar = WorkingCalendar()
        for try await (day, working) in try await connection.query("select day, working from working_day_adjustments", logger: logger)
            .decode((String, Bool).self)
        {
            if let date = CalendarDate(day) { calendar.adjustments[date] = working }
        }
        return calendar
    }
}
