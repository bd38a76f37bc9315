import Foundation

/// `status.v1`: what happened to a document the recipient (`to`) was sent; routing key
/// `status.<recipientCode>`, where the recipient of the status is the document's sender.
public struct StatusV1: ContractMessage {
    public static let messageType = "status.v1"

    public var documentId: UUID
    public var from: AgencyRef
    public var to: AgencyRef
    public var status: DocumentStatus
    public var at: Date
    /// Why, for a person; required for `rejected` and `recallRefused`.
    public var note: String?

    public init(documentId: UUID, from: AgencyRef, to: AgencyRef, status: DocumentStatus, at: Date, note: String? = nil) {
        self.documentId = documentId
        self.from = from
        self.to = to
        self.status = status
        self.at = at
        self.note = note
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found = from.violations(at: "from") + to.violations(at: "to")
        if [.rejected, .recallRefused].contains(status), note?.isBlank ?? true {
            found.append(.init(field: "note", message: "Trạng thái \(status.rawValue) phải kèm lý do."))
        }
        return found
    }
}

/// The statuses of a sent document, one to one with the national edXML status codes.
public enum DocumentStatus: String, Codable, Sendable, CaseIterable {
    case received, rejected, accepted, assigned, processing, completed, recalled, recallRefused

    /// The edXML status code.
    public var edxmlCode: String {
        switch self {
        case .received: "01"
        case .rejected: "02"
        case .accepted: "03"
        case .assigned: "04"
        case .processing: "05"
        case .completed: "06"
        case .recalled: "15"
        case .recallRefused: "16"
        }
    }
}
