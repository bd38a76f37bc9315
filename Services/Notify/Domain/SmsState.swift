import Contracts

/// Where an SMS stands: queued → sent → delivered, failed or expired. The gateway's reports may repeat
/// or arrive out of order: a final state is never left, and `sent` never undoes one; except that
/// `expired`, which we may have decided ourselves when its time ran out, gives way to the gateway's
/// own word that it was delivered or failed: the record says what really happened.
enum SmsState: String, Codable, Sendable, CaseIterable {
    case queued, sent, delivered, failed, expired
    /// No phone number in the directory: nothing was sent, and the sender is told.
    case noPhone

    var isFinal: Bool { ![.queued, .sent].contains(self) }

    /// The state after a report, or nil when the report changes nothing.
    func applying(_ report: SmsReportV1.State) -> SmsState? {
        if self == .expired, report == .delivered || report == .failed { return report == .delivered ? .delivered : .failed }
        guard !isFinal else { return nil }
        let next: SmsState =
            switch report {
            case .sent: .sent
            case .delivered: .delivered
            case .failed: .failed
            case .expired: .expired
            }
        return next == self ? nil : next
    }

    var vietnameseName: String {
        switch self {
        case .queued: "Đang chờ gửi"
        case .sent: "Đã gửi"
        case .delivered: "Đã đến máy"
        case .failed: "Gửi lỗi"
        case .expired: "Quá hạn, không gửi"
        case .noPhone: "Không có số điện thoại"
        }
    }
}
