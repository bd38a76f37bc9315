import Foundation

/// `directory-user.v1` on `ioffice.events`, routing key `directory.user.changed`: a person's directory entry
/// as Documents now holds it (created, changed, deactivated). Notify and Calendar keep their own copy of
/// names, units and phones from these; the newest `version` wins, so order and repeats do not matter.
public struct DirectoryUserV1: ContractMessage {
    public static let messageType = "directory-user.v1"

    public var userId: UUID
    public var username: String
    public var fullName: String
    public var unitId: UUID
    public var position: String
    /// E.164 (`+84…`).
    public var phone: String?
    public var email: String?
    public var roles: [String]
    public var permissions: [String]
    /// False once the account is deactivated or locked: no more notifications to it.
    public var active: Bool
    /// Rises with every change of this user; a copy ignores an event older than what it holds.
    public var version: Int64

    public init(
        userId: UUID, username: String, fullName: String, unitId: UUID, position: String, phone: String?, email: String?,
        roles: [String], permissions: [String], active: Bool, version: Int64
    ) {
        self.userId = userId
        self.username = username
        self.fullName = fullName
        self.unitId = unitId
        self.position = position
        self.phone = phone
        self.email = email
        self.roles = roles
        self.permissions = permissions
        self.active = active
        self.version = version
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found: [ContractViolation] = []
        if username.isBlank { found.append(.init(field: "username", message: "Thiếu tên đăng nhập.")) }
        if fullName.isBlank { found.append(.init(field: "fullName", message: "Thiếu họ tên.")) }
        if let phone, !(phone.hasPrefix("+") && phone.dropFirst().allSatisfy(\.isNumber) && (9...16).contains(phone.count)) {
            found.append(.init(field: "phone", message: "Số điện thoại phải ở dạng quốc tế (+84…)."))
        }
        return found
    }
}
