import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// What the account routes share: the database, the password hasher, the token keys and the rules.
struct Accounts: Sendable {
    let client: PostgresClient
    let logger: Logger
    let hasher: PasswordHasher
    let keyRing: TokenKeyRing
    var passwordPolicy = PasswordPolicy()
    var lockout = LockoutPolicy()
    /// Access tokens are short-lived: the other services cannot see a logout, only an expiry.
    var tokenLifetime: Duration
    /// A login session lasts a working day; its tokens are refreshed within it.
    var sessionLifetime: Duration
    /// The issuer name an authenticator app shows.
    var agencyName: String

    init(client: PostgresClient, logger: Logger, settings: ServiceSettings, keyRing: TokenKeyRing) {
        self.client = client
        self.logger = logger
        self.keyRing = keyRing
        let cost = UInt8(settings.environment["IOFFICE_BCRYPT_COST"].flatMap(Int.init).map { min(max($0, 4), 31) } ?? 12)
        hasher = PasswordHasher(cost: cost)
        tokenLifetime = .seconds(settings.environment["IOFFICE_TOKEN_TTL_SECONDS"].flatMap(Int.init) ?? 900)
        sessionLifetime = .seconds(settings.environment["IOFFICE_SESSION_TTL_SECONDS"].flatMap(Int.init) ?? 12 * 3600)
        agencyName = settings.agencyName
    }

    /// A signed token for `user` in `session`, saying what they may do now.
    func token(for user: UserRecord, session: UUID, on connection: PostgresConnection) async throws -> TokenResponse {
        let unit = try await UnitStore.find(user.unitId, on: connection, logger: logger)
        let now = Date()
        let claims = AccessClaims(
            userID: user.id, sessionID: session, username: user.username, name: user.fullName,
            unit: unit.map { .init(id: $0.id, name: $0.name) }, roles: user.roles, permissions: user.permissions,
            mustChangePassword: user.mustChangePassword, issuedAt: now, lifetime: tokenLifetime)
        return TokenResponse(
            token: try await keyRing.sign(claims), mustChangePassword: user.mustChangePassword, expiresAt: claims.exp.value)
    }
}

/// `{token, mustChangePassword, expiresAt}`.
struct TokenResponse: ResponseCodable {
    var token: String
    var mustChangePassword: Bool
    var expiresAt: Date
}
