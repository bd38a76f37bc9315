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
    /// `documentId` as the document's sender wrote it, written instead of the lower-case form so that
    /// the sender finds its own string. Not a field of its own on the wire.
    public var documentIdAsSent: String?

    enum CodingKeys: String, CodingKey { case documentId, from, to, status, at, note }

    public init(
        documentId: UUID, from: AgencyRef, to: AgencyRef, status: DocumentStatus, at: Date, note: String? = nil,
        documentIdAsSent: String? = nil
    ) {
        self.documentId = documentId
        self.documentIdAsSent = documentIdAsSent.flatMap { UUID(uuidString: $0) == documentId ? $0 : nil }
        self.from = from
        self.to = to
        self.status = status
        self.at = at
        self.note = note
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(documentIdAsSent ?? documentId.uuidString.lowercased(), forKey: .documentId)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(status, forKey: .status)
        try container.encode(at, forKey: .at)
        try container.encodeIfPresent(note, forKey: .note)
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
