import Contracts
import Foundation

/// An outgoing document's approval and issuance, as the workflow sees it: where it stands, whose turn
/// it is, and who handed it over.
struct OutgoingCase: Equatable, Sendable {
    var state: State
    var author: UUID
    /// Whose turn it is: the author (draft, returned) or a leader (in review); nobody once it waits
    /// for the clerks.
    var holder: UUID?
    /// Who handed it to the holder: they may take it back while the holder has not acted.
    var sentBy: UUID?
    var holderActed: Bool
    /// Issued at least once: the number stays with the document through a recall and re-issue.
    var number: Int?

    enum State: String, Codable, Sendable, CaseIterable {
        /// Dự thảo, with its author.
        case draft
        /// With a leader (lãnh đạo đơn vị or thủ trưởng) for review.
        case inReview
        /// Returned to the author for revision, with the leader's comments.
        case returned
        /// Approved by the head (bút phê): chờ phát hành.
        case approved
        /// Phát hành: numbered and delivered.
        case issued
        /// Recalled after issuance: waiting to be fixed and re-issued under the same number.
        case recalled
        /// Deleted by its author: will not be issued.
        case deleted
    }

    static func drafted(by author: UUID) -> OutgoingCase {
        OutgoingCase(state: .draft, author: author, holder: author, sentBy: nil, holderActed: false, number: nil)
    }
}

/// Who acts on an outgoing document.
struct OutgoingActor: Equatable, Sendable {
    var id: UUID
    var roles: Set<Role>
    var isLeader: Bool { roles.contains(.unitLeader) || roles.contains(.head) }
}

/// A leader a draft is sent to, with the roles that decide what they may do with it.
struct Reviewer: Equatable, Sendable {
    var id: UUID
    var roles: Set<Role>
    var isLeader: Bool { roles.contains(.unitLeader) || roles.contains(.head) }
}
