import Foundation

/// `recall.v1` (edXML code 13): the sender asks the recipient to withdraw a document it has not acted
/// on; the recipient answers with `status.v1` `recalled` or `recallRefused`.
public struct RecallV1: ContractMessage {
    public static let messageType = "recall.v1"

    public var documentId: UUID
    public var from: AgencyRef
    public var to: AgencyRef
    public var at: Date
    public var reason: String

    public init(documentId: UUID, from: AgencyRef, to: AgencyRef, at: Date, reason: String) {
        self.documentId = documentId
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found = from.violations(at: "from") + to.violations(at: "to")
        if reason.isBlank { found.append(.init(field: "reason", message: "Thiếu lý do thu hồi.")) }
        return found
    }
}
