import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// `GET /api/v1/working-days?from=&to=`: each day of a period (at most 400 days) with whether it is a
/// working day and, when not, why (a holiday's name, the weekend, an announced change); for date pickers
/// and for counting deadlines in working days the way the server does.
struct WorkingDayRoutes {
    let accounts: Accounts

    struct Day: ResponseCodable, Sendable {
        var date: String
        var working: Bool
        var reason: String?
    }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("working-days") { request, context -> [Day] in
            _ = try context.requireCaller()
            let parameters = request.uri.queryParameters
            guard let from = parameters.get("from").flatMap(CalendarDate.init), let to = parameters.get("to").flatMap(CalendarDate.init) else {
                throw ProblemDetails.invalid([.init(field: "from", message: "Cho ngày bắt đầu và kết thúc dạng năm-tháng-ngày (from, to).")])
            }
            let span = LunarCalendar.julianDay(day: to.day, month: to.month, year: to.year)
                - LunarCalendar.julianDay(day: from.day, month: from.month, year: from.year)
            guard (0...400).contains(span) else {
                throw ProblemDetails.invalid([.init(field: "to", message: "Khoảng ngày từ 0 đến 400 ngày, ngày kết thúc không trước ngày bắt đầu.")])
            }
            let calendar = try await accounts.client.withConnection {
                try await WorkingDayAdjustmentEntry.calendar(on: $0, logger: accounts.logger)
            }
            var holidays: [CalendarDate: String] = [:]
            for year in from.year...to.year {
                for holiday in WorkingCalendar.holidays(of: year) { holidays[holiday.date] = holiday.name }
            }
            return (0...span).map { offset in
                let date = from.adding(days: offset)
                let working = calendar.isWorkingDay(date)
                let reason: String? =
                    working ? nil
                    : calendar.adjustments[date] == false ? "Nghỉ theo thông báo"
                    : holidays[date] ?? (WorkingCalendar.isWeekend(date) ? "Nghỉ cuối tuần" : nil)
                return Day(date: date.description, working: working, reason: reason)
            }
        }
    }
}
