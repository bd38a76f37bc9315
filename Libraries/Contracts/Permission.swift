/// Rights granted on top of roles, named as tokens and other services spell them.
public enum Permission: String, Codable, Sendable, CaseIterable {
    case smsSend = "sms.send"
    case newsPublish = "news.publish"
    case calendarPublishAgency = "calendar.publishAgency"
    case reportsView = "reports.view"

    public var vietnameseName: String {
        switch self {
        case .smsSend: "Gửi tin nhắn SMS"
        case .newsPublish: "Đăng tin nội bộ"
        case .calendarPublishAgency: "Phát hành lịch công tác cơ quan"
        case .reportsView: "Xem báo cáo thống kê"
        }
    }
}
