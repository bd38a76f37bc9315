import Contracts
import Foundation

/// Which of two statuses a receiving agency sent about our document stands: the later one, and at the
/// same time (statuses carry whole seconds) the one further along, so that `accepted` is never
/// undone by a `received` that arrived after it.
enum RecipientStatus {
    static func rank(_ status: String) -> Int {
        switch status {
        case DocumentStatus.received.rawValue: 1
        case DocumentStatus.accepted.rawValue: 2
        case DocumentStatus.assigned.rawValue: 3
        case DocumentStatus.processing.rawValue: 4
        case DocumentStatus.completed.rawValue, DocumentStatus.rejected.rawValue, DocumentStatus.recalled.rawValue,
            DocumentStatus.recallRefused.rawValue: 5
        default: 0  // ours: sent, paper, recallSent
        }
    }

    /// Whether `new` at `at` replaces `current` recorded at `currentAt` (nil: nothing from the agency yet).
    static func supersedes(_ new: String, at: Date, current: String?, currentAt: Date?) -> Bool {
        guard let current, let currentAt else { return true }
        if at != currentAt { return at > currentAt }
        return rank(new) >= rank(current)
    }
}
