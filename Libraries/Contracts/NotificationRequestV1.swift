import Foundation

/// `notification-request.v1` on `ioffice.events`, routing key `notification.requested`: another service
/// asks Notify to tell people something, in the app and/or by SMS.
public struct NotificationRequestV1: ContractMessage {
    public static let messageType = "notification-request.v1"

    /// Idempotency key: the same request twice notifies once.
    public var requestId: UUID
    /// User ids.
    public var recipients: [UUID]
    public var channels: [Channel]
    public var title: String
    public var body: String
    /// What it is about, as a path in the web application.
    public var link: String?
    /// The person on whose behalf SMS are asked for (a meeting's organiser): they count against that
    /// person's SMS limit, and past it go in the app only. Absent for the system's own notices (added in 1.1).
    public var sender: UUID?

    public enum Channel: String, Codable, Sendable, CaseIterable {
        case inApp, sms
    }

    public init(
        requestId: UUID, recipients: [UUID], channels: [Channel], title: String, body: String, link: String? = nil, sender: UUID? = nil
    ) {
        self.sender = sender
        self.requestId = requestId
        self.recipients = recipients
        self.channels = channels
        self.title = title
        self.body = body
        self.link = link
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found: [ContractViolation] = []
        if recipients.isEmpty { found.append(.init(field: "recipients", message: "Thiếu người nhận.")) }
        if channels.isEmpty { found.append(.init(field: "channels", message: "Thiếu kênh thông báo.")) }
        if title.isBlank { found.append(.init(field: "title", message: "Thiếu tiêu đề thông báo.")) }
        return found
    }
}
