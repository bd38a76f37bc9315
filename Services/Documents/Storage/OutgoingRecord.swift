import Contracts
import Foundation
import VietnameseText

/// A new draft as the author gave it, checked and resolved against the catalogs.
struct OutgoingDraft: Sendable {
    var id: UUID
    var author: UUID
    var unit: UUID
    var typeId: UUID
    var typeName: String
    var typeAbbreviation: String?
    var fieldId: UUID?
    var subject: String
    var urgency: DocumentV1.Urgency
    var secrecy: String
    var flags: DeliveryFlags
    var dueDate: CalendarDate?
    var files: [IncomingRecord.File]
    var related: [Related]
    var recipients: [Recipient]

    var secret: Bool { secrecy != "none" }

    struct Related: Sendable, Equatable {
        var kind: String
        var id: UUID
    }

    struct Recipient: Sendable {
        enum Kind: String, Sendable { case unit, user, agency }
        var kind: Kind
        var unitId: UUID?
        var userId: UUID?
        var agencyCode: String?
        var name: String
        var delivery: Delivery
    }

    /// Subject, type and recipients without diacritics, for search.
    var searchText: String {
        ([subject, typeName] + recipients.map(\.name)).map(VietnameseText.searchKey).joined(separator: " ")
    }
}
