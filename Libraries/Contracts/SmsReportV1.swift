import Foundation

/// `sms-report.v1`: the gateway's delivery report, on `ioffice.sms` with routing key `sms.report`.
/// Reports may repeat or arrive out of order; a final state wins over any other.
public struct SmsReportV1: ContractMessage {
    public static let messageType = "sms-report.v1"

    public var smsId: UUID
    public var state: State
    public var at: Date
    public var error: String?

    public enum State: String, Codable, Sendable, CaseIterable {
        case sent, delivered, failed, expired

        /// Nothing follows a final state.
        public var isFinal: Bool { self != .sent }
    }

    public init(smsId: UUID, state: State, at: Date, error: String? = nil) {
        self.smsId = smsId
        self.state = state
        self.at = at
        self.error = error
    }

    public func violations(now: Date) -> [ContractViolation] { [] }
}
