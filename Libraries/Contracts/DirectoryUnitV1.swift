import Foundation

/// `directory-unit.v1` on `ioffice.events`, routing key `directory.unit.changed`: a unit (đơn vị, phòng ban)
/// as Documents now holds it, or its removal. The newest `version` wins.
public struct DirectoryUnitV1: ContractMessage {
    public static let messageType = "directory-unit.v1"

    public var unitId: UUID
    public var parentId: UUID?
    public var code: String
    public var name: String
    /// Used in document symbols, e.g. `VP` in `399/LĐLĐ-VP`.
    public var abbreviation: String
    /// The unit's leaders (users with role `unitLeader` in it), to whom a unit invitation goes.
    public var leaderIds: [UUID]
    public var deleted: Bool
    public var version: Int64

    public init(
        unitId: UUID, parentId: UUID?, code: String, name: String, abbreviation: String, leaderIds: [UUID], deleted: Bool,
        version: Int64
    ) {
        self.unitId = unitId
        self.parentId = parentId
        self.code = code
        self.name = name
        self.abbreviation = abbreviation
        self.leaderIds = leaderIds
        self.deleted = deleted
        self.version = version
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found: [ContractViolation] = []
        if code.isBlank { found.append(.init(field: "code", message: "Thiếu mã đơn vị.")) }
        if name.isBlank { found.append(.init(field: "name", message: "Thiếu tên đơn vị.")) }
        return found
    }
}
