import Contracts
import Foundation

/// Hồ sơ công việc (seed §5): a tree of dossiers per person or per unit. A person's own dossiers are
/// theirs alone unless shared; a unit's are read and filled by its members and kept (renamed, moved,
/// closed, shared) by its leader and the head; what is shared with someone they may read. A closed
/// dossier takes nothing more.
enum DossierRules {
    static let maximumName = 200

    struct Dossier: Sendable {
        var id: UUID
        var owner: UUID
        var unit: UUID?
        var parent: UUID?
        var closed: Bool
        /// Shared with these people and units (read only).
        var sharedUsers: Set<UUID> = []
        var sharedUnits: Set<UUID> = []
    }

    typealias Person = OfficePerson

    enum Access: Int, Comparable, Sendable {
        case none, read, file, manage
        static func < (a: Access, b: Access) -> Bool { a.rawValue < b.rawValue }
    }

    static func access(of person: Person, to dossier: Dossier) -> Access {
        if let unit = dossier.unit {
            if person.roles.contains(.head) || (person.roles.contains(.unitLeader) && person.unit == unit) { return .manage }
            if person.unit == unit { return .file }
        } else if dossier.owner == person.id {
            return .manage
        }
        if dossier.sharedUsers.contains(person.id) || person.unit.map(dossier.sharedUnits.contains) == true { return .read }
        return .none
    }

    /// Whether `person` may make a dossier for `unit` (nil: their own): a unit's by its leader or the head.
    static func mayCreate(for unit: UUID?, by person: Person) -> Bool {
        guard let unit else { return true }
        return person.roles.contains(.head) || (person.roles.contains(.unitLeader) && person.unit == unit)
    }

    /// Why `dossier` may not go under `parent`: a parent of another owner or unit, a closed one, or itself
    /// or one of its own descendants (`parents` maps each dossier to its parent).
    static func moveProblem(_ dossier: Dossier, under parent: Dossier?, parents: [UUID: UUID]) -> String? {
        guard let parent else { return nil }
        if parent.unit != dossier.unit || (dossier.unit == nil && parent.owner != dossier.owner) {
            return "Chỉ xếp hồ sơ vào hồ sơ cùng chủ sở hữu hoặc cùng đơn vị."
        }
        if parent.closed { return "Hồ sơ cha đã đóng." }
        var current: UUID? = parent.id
        var seen: Set<UUID> = []
        while let node = current, seen.insert(node).inserted {
            if node == dossier.id { return "Không thể xếp hồ sơ vào chính nó hoặc hồ sơ con của nó." }
            current = parents[node]
        }
        return nil
    }

    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "Nhập tên hồ sơ." }
        if name.count > maximumName { return "Tên hồ sơ dài quá \(maximumName) ký tự." }
        return nil
    }
}
