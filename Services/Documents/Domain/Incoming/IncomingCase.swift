import Contracts
import Foundation

/// An incoming document's handling, as the workflow sees it: where it stands, who holds it, and which
/// statuses the sending agency has been told.
struct IncomingCase: Equatable, Sendable {
    var state: State
    var assignments: [Assignment]
    /// Whether it came from another agency (statuses go back to it) or on paper.
    var fromAgency: Bool
    /// Statuses already sent, so each is sent once and in order.
    var reported: [DocumentStatus]

    enum State: String, Codable, Sendable {
        /// Registered, with the clerk, not yet routed.
        case registered
        /// Routed; someone holds it.
        case inProgress
        /// Kết thúc.
        case finished
        /// Withdrawn by the sending agency before anyone acted.
        case recalledBySender
        /// Trả lại: refused by the clerk (e.g. its signatures failed) and sent back with the reason.
        case returnedToSender
    }

    static func registered(fromAgency: Bool) -> IncomingCase {
        IncomingCase(state: .registered, assignments: [], fromAgency: fromAgency, reported: fromAgency ? [.received, .accepted] : [])
    }

    /// The actor's open assignments, main first.
    func open(for user: UUID) -> [Assignment] {
        assignments.filter { $0.assignee == user && $0.isOpen }.sorted { $0.role == .main && $1.role != .main }
    }

    func index(of id: UUID) -> Int? { assignments.firstIndex { $0.id == id } }
}
