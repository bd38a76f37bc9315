import Contracts
import Foundation
import ServiceKit

/// A user as stored, secrets included; never sent out as is (see `UserView`).
struct UserRecord: Sendable {
    var id: UUID
    var username: String
    var fullName: String
    var unitId: UUID
    var position: String
    var roles: [Role]
    var permissions: [Permission]
    var phone: String?
    var email: String?
    var active: Bool
    var locked: Bool
    var passwordHash: String
    var mustChangePassword: Bool
    var failedLogins: Int
    var lockedUntil: Date?
    var totpSecret: String?
    var totpEnabled: Bool
    var totpLastStep: Int64?
    var version: Int64
}
