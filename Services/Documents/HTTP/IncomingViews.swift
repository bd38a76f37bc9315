import Foundation
import Hummingbird

/// The clerk's registration of a document that came on paper: the same fields as an electronic one,
/// plus the scan.
struct PaperRegistration: Decodable {
    var registerId: UUID?
    var senderName: String
    var number: Int?
    var notation: String?
    var issuedAt: String
    var issuedPlace: String?
    var documentType: String
    var subject: String
    var signerName: String?
    var signerPosition: String?
    var urgency: String?
    var dueDate: String?
    var attachments: [File]

    struct File: Decodable {
        var name: String
        var contentType: String
        /// Base64.
        var data: String
    }
}

/// `{id, arrivalNumber}` of a registered document.
struct Registered: ResponseCodable {
    var id: UUID
    var arrivalNumber: Int
}

/// `{pending, processed, info, overdue}`.
struct Counts: ResponseEncodable {
    var counts: [String: Int]
    func encode(to encoder: any Encoder) throws { try counts.encode(to: encoder) }
}

/// One workflow step: `{action, to?, deadline?, comment?, dossier?, title?, assignee?}`.
struct ActionRequest: Decodable {
    var action: String
    var to: [Target]?
    var deadline: Date?
    var comment: String?
    var dossier: String?
    var title: String?
    var assignee: UUID?
    /// Files sent along with a forward (văn bản kèm theo), base64.
    var attachments: [PaperRegistration.File]?

    struct Target: Decodable {
        var userId: UUID?
        var unitId: UUID?
        var role: String
    }
}

/// A message from another agency that was refused, kept for the operator.
struct RejectedMessage: Codable, Sendable {
    var id: UUID
    var receivedAt: Date
    var messageId: String?
    var brokerUser: String?
    var senderCode: String?
    var documentId: String?
    var reason: String
    /// The raw message body, as received.
    var body: String
}

extension IncomingDetail: ResponseEncodable {}
