import Contracts
import Foundation

/// The person behind a request, as their verified token says.
public struct Caller: Sendable, Equatable {
    public var id: UUID
    public var sessionID: UUID
    public var username: String
    public var fullName: String
    public var unit: AccessClaims.UnitClaim?
    public var roles: Set<Role>
    public var permissions: Set<Permission>
    public var mustChangePassword: Bool
    public var expiresAt: Date

    public init(
        id: UUID, sessionID: UUID, username: String, fullName: String, unit: AccessClaims.UnitClaim?, roles: Set<Role>,
        permissions: Set<Permission>, mustChangePassword: Bool, expiresAt: Date
    ) {
        self.id = id
        self.sessionID = sessionID
        self.username = username
        self.fullName = fullName
        self.unit = unit
        self.roles = roles
        self.permissions = permissions
        self.mustChangePassword = mustChangePassword
        self.expiresAt = expiresAt
    }

    /// Nil when the claims do not name a user and a session (not a token of ours).
    init?(claims: AccessClaims) {
        guard let id = UUID(uuidString: claims.sub.value), let session = UUID(uuidString: claims.sid) else { return nil }
        self.init(
            id: id, sessionID: session, username: claims.username, fullName: claims.name, unit: claims.unit,
            // Names this build does not know (a newer Documents) grant nothing here.
            roles: Set(claims.roles.compactMap(Role.init(rawValue:))),
            permissions: Set(claims.permissions.compactMap(Permission.init(rawValue:))),
            mustChangePassword: claims.mustChangePassword, expiresAt: claims.exp.value)
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public func has(_ permission: Permission) -> Bool { permissions.contains(permission) }
}
