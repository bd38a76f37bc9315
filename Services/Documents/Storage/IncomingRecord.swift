import Contracts
import Foundation
import VietnameseText

/// An incoming document's registration data, from another agency or typed by the clerk.
struct IncomingRecord: Sendable {
    enum Source: String, Sendable { case agency, paper, `internal` }

    var id: UUID
    var registerId: UUID
    var source: Source
    var senderCode: String?
    var senderName: String
    var senderDocumentId: UUID?
    /// `senderDocumentId` as the sender wrote it (its case), for the status replies.
    var senderDocumentText: String? = nil
    /// SHA-256 of what the sender sent, so an identical resend is told from a changed one.
    var contentHash: String?
    var number: Int?
    var notation: String
    var issuedAt: CalendarDate
    var issuedPlace: String
    var documentType: String
    var subject: String
    var signerName: String
    var signerPosition: String
    var urgency: DocumentV1.Urgency
    var paperCopyFollows: Bool
    var senderDueDate: CalendarDate?
    var registeredBy: UUID?
    var attachments: [File]

    struct File: Sendable {
        var id: UUID
        var name: String
        var contentType: String
        var bytes: [UInt8]
        var sha256: String
    }

    /// The folded text search matches: number and symbol, subject, sender, signer, type, file names.
    var searchText: String {
        let symbol = number.map { "\($0)/\(notation)" } ?? notation
        return ([symbol, notation, subject, senderName, signerName, documentType] + attachments.map(\.name))
            .map(VietnameseText.searchKey).joined(separator: " ")
    }
}
