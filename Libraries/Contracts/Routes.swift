/// Exchange, queue and routing-key names of the contracts; build names here, never by hand.
public enum Routes {
    /// Inter-agency documents, statuses and recalls (topic).
    public static let interAgencyExchange = "ioffice.exchange"
    /// Events between our own services (topic).
    public static let eventsExchange = "ioffice.events"
    /// SMS to the gateway (`sms.outbound`, bound to `notify.sms.outbound`) and its delivery reports (topic).
    public static let smsExchange = "ioffice.sms"
    /// Where a consumer puts what it cannot handle (topic): each `<queue>.dlq` is bound by its own name.
    /// Services write here instead of to the default exchange, which would reach every queue.
    public static let deadLetterExchange = "ioffice.dead-letters"

    public static let smsOutboundQueue = "notify.sms.outbound"
    /// Notify publishes SMS on `smsExchange` with this key, bound to `smsOutboundQueue`: no service needs
    /// write on the default exchange, which reaches every queue.
    public static let smsOutboundKey = "sms.outbound"
    public static let smsReportKey = "sms.report"
    public static let signingVerifyQueue = "signing.verify"
    /// Documents publishes verification requests on `eventsExchange` with this key, bound to `signingVerifyQueue`.
    public static let signingVerifyKey = "signing.verify"
    public static let signingVerifiedKey = "signing.verified"
    public static let notificationRequestedKey = "notification.requested"
    public static let directoryUserChangedKey = "directory.user.changed"
    public static let directoryUnitChangedKey = "directory.unit.changed"

    public static func document(to code: String) -> String { "document.\(code)" }
    public static func status(to code: String) -> String { "status.\(code)" }
    public static func recall(to code: String) -> String { "recall.\(code)" }

    /// The queue an agency reads its documents, statuses and recalls from.
    public static func inboundQueue(of code: String) -> String { "documents.inbound.\(code)" }
    /// Binds `inboundQueue(of:)`: topic words split on dots, and `*.<code>` has as many as `document.<code>`.
    public static func inboundBinding(of code: String) -> String { "*.\(code)" }
}
