import Contracts
import Foundation
import JWTKit

/// What an access token says about its bearer. Documents signs it (EdDSA); every service verifies it
/// with the public key alone, so it carries all a service needs to authorise a request.
public struct AccessClaims: JWTPayload, Equatable {
    /// The issuer every service expects.
    public static let issuer = "ioffice-documents"
    /// The audience every service expects: a token of ours, not one the same key might sign for another use.
    public static let audience = "ioffice"

    public var iss: IssuerClaim
    public var aud: AudienceClaim
    /// The user id.
    public var sub: SubjectClaim
    /// The token's own id.
    public var jti: IDClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    /// The login session this token belongs to; logging out revokes it.
    public var sid: String
    public var username: String
    public var name: String
    public var unit: UnitClaim?
    public var roles: [String]
    public var permissions: [String]
    /// Set until the bearer has replaced an initial or reset password: such a token opens nothing
    /// but the password change.
    public var mustChangePassword: Bool

    /// The unit a user belongs to, as the token carries it.
    public struct UnitClaim: Codable, Sendable, Equatable {
        public var id: UUID
        public var name: String
        public init(id: UUID, name: String) {
            self.id = id
            self.name = name
        }
    }

    public init(
        userID: UUID, sessionID: UUID, username: String, name: String, unit: UnitClaim?, roles: [Role],
        permissions: [Permission], mustChangePassword: Bool, issuedAt: Date, lifetime: Duration
    ) {
        iss = .init(value: Self.issuer)
        aud = .init(value: [Self.audience])
        sub = .init(value: userID.uuidString.lowercased())
        jti = .init(value: UUID().uuidString.lowercased())
        iat = .init(value: issuedAt)
        exp = .init(value: issuedAt.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        sid = sessionID.uuidString.lowercased()
        self.username = username
        self.name = name
        self.unit = unit
        self.roles = roles.map(\.rawValue).sorted()
        self.permissions = permissions.map(\.rawValue).sorted()
        self.mustChangePassword = mustChangePassword
    }

    public func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == Self.issuer else { throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "issuer") }
        try aud.verifyIntendedAudience(includes: Self.audience)
    }
}
