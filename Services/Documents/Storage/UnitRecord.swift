import Foundation

/// A unit (đơn vị, phòng ban) as stored.
struct UnitRecord: Codable, Sendable, Equatable {
    var id: UUID
    var parentId: UUID?
    var code: String
    var name: String
    var abbreviation: String
    var version: Int64
}
