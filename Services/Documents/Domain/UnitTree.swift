import Foundation

/// Rules of the unit tree (cây đơn vị).
enum UnitTree {
    /// Whether making `parent` the parent of `unit` would put `unit` under itself. `parents` maps each
    /// unit to its current parent.
    static func wouldCycle(moving unit: UUID, under parent: UUID, parents: [UUID: UUID]) -> Bool {
        var current: UUID? = parent
        var seen: Set<UUID> = []
        while let node = current {
            if node == unit || !seen.insert(node).inserted { return true }
            current = parents[node]
        }
        return false
    }
}
