import Foundation
import Hummingbird
import ServiceKit

/// A unit as the API shows it.
struct UnitView: ResponseCodable, Equatable {
    var id: UUID
    var parentId: UUID?
    var code: String
    var name: String
    var abbreviation: String

    init(_ unit: UnitRecord) {
        id = unit.id
        parentId = unit.parentId
        code = unit.code
        name = unit.name
        abbreviation = unit.abbreviation
    }
}

/// A user as admins see them: everything but secrets.
struct UserView: ResponseCodable, Equatable {
    var id: UUID
    var username: String
    var fullName: String
    var unitId: UUID
    var position: String
    var roles: [String]
    var permissions: [String]
    var phone: String?
    var email: String?
    var active: Bool
    var locked: Bool
    var mustChangePassword: Bool
    var totpEnabled: Bool
    var lockedUntil: Date?

    init(_ user: UserRecord) {
        id = user.id
        username = user.username
        fullName = user.fullName
        unitId = user.unitId
        position = user.position
        roles = user.roles.map(\.rawValue)
        permissions = user.permissions.map(\.rawValue)
        phone = user.phone
        email = user.email
        active = user.active
        locked = user.locked
        mustChangePassword = user.mustChangePassword
        totpEnabled = user.totpEnabled
        lockedUntil = user.lockedUntil
    }
}

/// A colleague as the directory (danh bạ) shows them to anyone logged in.
struct DirectoryEntry: Codable, Sendable, Equatable {
    var id: UUID
    var username: String
    var fullName: String
    var unitId: UUID
    var unitName: String
    var position: String
    var phone: String?
    var email: String?
    /// What they do in the office, so a draft can be sent to a leader.
    var roles: [String]
}

/// `{id, username, initialPassword}`: the one-time password is shown once, to the admin who made it.
struct CreatedUser: ResponseCodable {
    var id: UUID
    var username: String
    var initialPassword: String
}

/// `{initialPassword}` after an admin reset.
struct ResetPassword: ResponseCodable {
    var initialPassword: String
}
