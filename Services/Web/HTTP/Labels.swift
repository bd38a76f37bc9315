import Foundation

/// The Vietnamese words a person reads for the services' codes, and dates as dd/mm/yyyy in Vietnam.
enum Labels {
    static let urgency = ["normal": "Thường", "urgent": "Khẩn", "veryUrgent": "Thượng khẩn", "flash": "Hỏa tốc"]

    static let incomingState = [
        "registered": "Chờ phân phối", "inProgress": "Đang xử lý", "finished": "Đã kết thúc", "recalledBySender": "Bị thu hồi",
        "returnedToSender": "Đã trả lại nơi gửi",
    ]

    static let outgoingState = [
        "draft": "Dự thảo", "inReview": "Chờ duyệt", "returned": "Bị trả lại", "approved": "Chờ phát hành", "issued": "Đã phát hành",
        "recalled": "Đã thu hồi, chờ phát hành lại", "deleted": "Đã xóa",
    ]

    static let handlingRole = ["main": "Xử lý chính", "co": "Phối hợp", "info": "Xem để biết"]

    static let verdict = ["pending": "Đang xác thực chữ ký số", "passed": "Chữ ký số hợp lệ", "indeterminate": "Chưa xác định được chữ ký số", "failed": "Chữ ký số không hợp lệ"]

    static let delivery = ["electronic": "Bản điện tử", "electronicAndPaper": "Bản điện tử và bản giấy", "paperOnly": "Chỉ bản giấy"]

    static let recipientStatus = [
        "sent": "Đã gửi", "paper": "Gửi bản giấy", "received": "Đã nhận", "accepted": "Đã tiếp nhận", "assigned": "Đã phân công",
        "processing": "Đang xử lý", "completed": "Đã hoàn thành", "rejected": "Từ chối", "recalled": "Đã thu hồi",
        "recallSent": "Đang thu hồi", "recallRefused": "Từ chối thu hồi",
    ]

    static let history = [
        "received": "Tiếp nhận", "registered": "Vào sổ", "routed": "Phân phối", "forwarded": "Chuyển xử lý", "finished": "Kết thúc",
        "contributed": "Hoàn thành phần phối hợp", "read": "Đã xem", "savedToDossier": "Lưu hồ sơ", "taskCreated": "Tạo việc",
        "recalled": "Thu hồi", "recalledBySender": "Nơi gửi thu hồi", "returnedToSender": "Trả lại nơi gửi", "drafted": "Tạo dự thảo",
        "submitted": "Trình duyệt", "returned": "Trả lại để sửa", "revised": "Sửa dự thảo", "approvedByUnit": "Lãnh đạo đơn vị duyệt",
        "approved": "Thủ trưởng duyệt ban hành", "deleted": "Xóa", "finalAttached": "Đính kèm văn bản đã ký", "issued": "Phát hành",
        "reissued": "Phát hành lại", "recalledAfterIssue": "Thu hồi sau phát hành", "signatureOverride": "Xác nhận phát hành khi chữ ký chưa xác định",
    ]

    static func historyAction(_ code: String) -> String {
        if code.hasPrefix("status.") { return "Nơi nhận báo: " + (recipientStatus[String(code.dropFirst(7))] ?? code) }
        return history[code] ?? code
    }

    static let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 7 * 3600)!

    /// `25/11/2026 14:05`.
    static func dateTime(_ date: Date?) -> String {
        guard let date else { return "" }
        return format(date, "dd/MM/yyyy HH:mm")
    }

    static func date(_ date: Date?) -> String {
        guard let date else { return "" }
        return format(date, "dd/MM/yyyy")
    }

    /// `2026-11-25` → `25/11/2026`.
    static func day(_ iso: String?) -> String {
        guard let iso else { return "" }
        let parts = iso.prefix(10).split(separator: "-")
        return parts.count == 3 ? "\(parts[2])/\(parts[1])/\(parts[0])" : iso
    }

    /// `25/11/2026` (or `2026-11-25`) → `2026-11-25`; nil when it is not a date.
    static func isoDay(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "-" }).map(String.init)
        guard parts.count == 3 else { return nil }
        let (d, m, y) = parts[0].count == 4 ? (parts[2], parts[1], parts[0]) : (parts[0], parts[1], parts[2])
        guard let day = Int(d), let month = Int(m), let year = Int(y), (1...31).contains(day), (1...12).contains(month), year > 1900 else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    private static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "vi_VN")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}

extension Labels {
    static let role = ["clerk": "Văn thư", "specialist": "Chuyên viên", "unitLeader": "Lãnh đạo đơn vị", "head": "Thủ trưởng cơ quan", "admin": "Quản trị"]
}
