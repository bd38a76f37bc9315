import Contracts
import Foundation

/// Whether a `document.v1` from another agency may be registered, and who to answer. Pure: the caller
/// supplies the broker-checked user, the agencies we exchange with and our own code.
enum ArrivalCheck {
    /// Who sent it, as far as we can trust: the broker vouches for `user_id`, which must be an agency of
    /// the catalog; `from.code` in the body must then be that same agency.
    enum Sender: Equatable {
        /// A known agency: problems are answered to it with `rejected`.
        case known(AgencyRef)
        /// Nobody we exchange with: nothing to answer, the message goes to the dead-letter queue.
        case unknown(String)
    }

    struct Limits: Sendable {
        /// Per attachment; RabbitMQ itself refuses messages over 128 MiB.
        var attachmentBytes = 20 * 1024 * 1024
        var attachments = 50
    }

    static func sender(brokerUser: String?, agencies: [String: String]) -> Sender {
        guard let user = brokerUser, let name = agencies[user] else { return .unknown(brokerUser ?? "") }
        return .known(AgencyRef(code: user, name: name))
    }

    /// Every reason to refuse, in Vietnamese for the sender's clerk; empty when it may be registered.
    static func problems(_ document: DocumentV1, brokerUser: String, ourCode: String, limits: Limits, now: Date) -> [String] {
        var found: [String] = []
        if document.from.code != brokerUser {
            found.append("Mã cơ quan gửi trong văn bản (\(document.from.code)) khác với tài khoản đã gửi (\(brokerUser)).")
        }
        if !document.to.contains(where: { $0.code == ourCode }) {
            found.append("Văn bản không gửi đến cơ quan này (\(ourCode)).")
        }
        if document.attachments.count > limits.attachments {
            found.append("Văn bản có quá nhiều tệp đính kèm (tối đa \(limits.attachments)).")
        }
        for attachment in document.attachments where attachment.size > limits.attachmentBytes {
            found.append("Tệp \"\(attachment.name)\" vượt quá \(limits.attachmentBytes / (1024 * 1024)) MB.")
        }
        found += document.violations(now: now).map(\.message)
        return found
    }

    /// The calendar year of an arrival in Vietnam, which numbers restart on.
    static func arrivalYear(_ date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        return calendar.component(.year, from: date)
    }
}
