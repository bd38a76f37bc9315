import Foundation

/// One person's part in handling an incoming document: who sent it to them, as what, and what they
/// have done with it. Forwards form a tree through `parent`.
struct Assignment: Equatable, Sendable, Codable {
    var id: UUID
    var assignee: UUID
    /// The unit it was sent to, when it reached the assignee as that unit's leader.
    var unit: UUID?
    var role: HandlingRole
    var assignedBy: UUID
    /// The forwarder's own assignment; nil for the clerk's first routing.
    var parent: UUID?
    var instruction: String?
    var deadline: Date?
    var assignedAt: Date
    var state: State
    /// Whether the assignee did anything with it (saved it, made a task, forwarded, finished): a forward
    /// whose recipients have acted can no longer be recalled.
    var acted: Bool

    enum State: String, Codable, Sendable {
        /// With the assignee, waiting for them (chờ xử lý).
        case open
        /// Passed on down the chain.
        case forwarded
        /// The assignee's part is done (finished, contributed, read).
        case done
        /// Taken back by the forwarder before anyone acted.
        case recalled
        /// Closed because the document was finished or recalled by its sender.
        case closed
    }

    var isOpen: Bool { state == .open }
}
