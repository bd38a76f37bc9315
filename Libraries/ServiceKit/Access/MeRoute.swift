import Foundation
import Hummingbird

/// `GET /api/v1/me` in every service: the caller as their token says, so a client can check a token
/// anywhere.
public struct MeResponse: ResponseCodable, Equatable {
    public var id: UUID
    public var username: String
    public var fullName: String
    public var unit: AccessClaims.UnitClaim?
    public var roles: [String]
    public var permissions: [String]
    public var mustChangePassword: Bool

    public init(_ caller: Caller) {
        id = caller.id
        username = caller.username
        fullName = caller.fullName
        unit = caller.unit
        roles = caller.roles.map(\.rawValue).sorted()
        permissions = caller.permissions.map(\.rawValue).sorted()
        mustChangePassword = caller.mustChangePassword
    }
}

extension RouterGroup where Context: AuthenticatedContext {
    /// Adds `GET me` to an authenticated group.
    @discardableResult
    public func addMeRoute() -> Self {
        get("me") { _, context in MeResponse(try context.requireCaller()) }
        return self
    }
}
