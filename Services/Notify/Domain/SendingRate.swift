import Foundation

/// How many SMS one person may send by hand in a window: enough for work, not for a mass mailing.
struct SendingRate: Sendable {
    var limit: Int = 60
    var window: TimeInterval = 3600

    /// Whether `count` more may go after `alreadySent` within the window; the refusal says when to retry.
    func allows(_ count: Int, alreadySent: Int) -> Result<Void, Refused> {
        guard alreadySent + count <= limit else {
            return .failure(Refused(message: "Bạn đã gửi \(alreadySent) tin trong \(Int(window / 60)) phút qua; mỗi người gửi tối đa \(limit) tin. Vui lòng thử lại sau."))
        }
        return .success(())
    }

    struct Refused: Error, Equatable { var message: String }
}
