import Foundation

/// Tài liệu (seed §5): a person's own library of reference files. Their owner reads, shares, deletes and
/// restores them; whoever they are shared with (a person, or everyone of a unit) reads them; a deleted
/// file is kept, restorable by its owner, for `keptDeleted`, then gone.
enum PersonalFileRules {
    static let maximumBytes = 50 << 20
    static let maximumName = 255
    static let keptDeleted: TimeInterval = 30 * 86_400

    struct File: Sendable {
        var owner: UUID
        var deleted: Bool
        var sharedUsers: Set<UUID> = []
        var sharedUnits: Set<UUID> = []
    }

    static func mayRead(_ file: File, person: UUID, unit: UUID?) -> Bool {
        if file.owner == person { return !file.deleted }
        return !file.deleted && (file.sharedUsers.contains(person) || unit.map(file.sharedUnits.contains) == true)
    }

    /// The name kept: no folders, no control characters, at most `maximumName` characters; nil when
    /// nothing is left.
    static func name(_ raw: String) -> String? {
        let last = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = String(last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }).trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty, cleaned != ".", cleaned != ".." else { return nil }
        return String(cleaned.prefix(maximumName)).precomposedStringWithCanonicalMapping
    }
}
