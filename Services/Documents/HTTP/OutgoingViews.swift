import Foundation
import Hummingbird

/// A new draft: what it is, its file(s), related documents and recipients.
struct DraftRequest: Decodable {
    var documentTypeId: UUID
    var subject: String
    var fieldId: UUID?
    var urgency: String?
    /// none (default), confidential (Mật), secret (Tối mật), topSecret (Tuyệt mật).
    var secrecy: String?
    /// legalNormative, submissionToCommittee, directive, budget, staffing, administrativeProcedure.
    var flags: [String]?
    var dueDate: String?
    var files: [PaperRegistration.File]
    var related: [RelatedRequest]?
    var recipients: [RecipientRequest]

    struct RelatedRequest: Decodable {
        /// incoming or outgoing.
        var kind: String
        var id: UUID
    }

    /// Exactly one of unitId, userId, agencyCode; `paper` true asks for paper too, false for
    /// electronic only (refused where the rules require paper), absent for the rules' default.
    struct RecipientRequest: Decodable {
        var unitId: UUID?
        var userId: UUID?
        var agencyCode: String?
        var paper: Bool?
    }
}

/// A step on a draft: submit, forward, revise, return, approve, recall, delete.
struct OutgoingActionRequest: Decodable {
    var action: String
    /// The leader it goes to (submit, forward; approve by a unit leader names the head).
    var to: UUID?
    var comment: String?
    /// revise: the new version of the draft file(s).
    var files: [PaperRegistration.File]?
}

/// The clerk's signed final file (the digitally signed PDF, or the scan of the signed paper original).
struct FinalFileRequest: Decodable {
    var file: PaperRegistration.File
}

/// The clerk's issuance: register, issue date (default today), signer.
struct IssueRequest: Decodable {
    var registerId: UUID
    var issuedAt: String?
    var signerName: String
    var signerPosition: String?
    /// Issue although the signature check was indeterminate (logged).
    var overrideSignature: Bool?
}

struct RecallRequest: Decodable {
    var reason: String
}

/// `{id}` of a created draft.
struct Created: ResponseCodable {
    var id: UUID
}
extension OutgoingDetail: ResponseEncodable {}
