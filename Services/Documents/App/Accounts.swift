import Foundation
import HTTPTypes
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
    /// Seals the token-signing key and second-factor secrets with keys kept outside the database.
    let secrets: SecretBox
    var passwordPolicy = PasswordPolicy()
    /// Who may try a password now: per-address and global limits, progressive delay after failures.
    let gate: LoginGate
    /// Peers whose `X-Forwarded-For` is believed: the web front end, which logs people in on their behalf.
    let trustedProxies: TrustedProxies
    /// Access tokens are short-lived: the other services cannot see a logout, only an expiry.
    var tokenLifetime: Duration
    /// When the token-signing key is replaced and how long a replaced one stays published.
    var tokenKeyPolicy: TokenKeyPolicy
    /// A login session lasts a working day; its tokens are refreshed within it.
    var sessionLifetime: Duration
    /// The issuer name an authenticator app shows.
    var agencyName: String

    init(client: PostgresClient, logger: Logger, settings: ServiceSettings, keyRing: TokenKeyRing) throws {
        secrets = try SecretBox(settings: settings)
        self.client = client
        self.logger = logger
        self.keyRing = keyRing
        let cost = UInt8(settings.environment["IOFFICE_BCRYPT_COST"].flatMap(Int.init).map { min(max($0, 4), 31) } ?? 12)
        hasher = PasswordHasher(cost: cost)
        let ttl = settings.environment["IOFFICE_TOKEN_TTL_SECONDS"].flatMap(Int.init).map { min(max($0, 30), 86_400) } ?? 900
        tokenLifetime = .seconds(ttl)
        let rotateDays = settings.environment["IOFFICE_TOKEN_KEY_ROTATE_DAYS"].flatMap(Int.init).map { min(max($0, 1), 365) } ?? 30
        // A replaced key stays published for a token's lifetime after its successor signs, plus 5 minutes
        // for clocks and for the other services' key-set refresh.
        tokenKeyPolicy = TokenKeyPolicy(rotateAfter: TimeInterval(rotateDays) * 86_400, keepRetired: TimeInterval(ttl + 300))
        sessionLifetime = .seconds(settings.environment["IOFFICE_SESSION_TTL_SECONDS"].flatMap(Int.init) ?? 12 * 3600)
        agencyName = settings.agencyName
        gate = LoginGate(store: LoginFailureStore(client: client, throttle: LoginThrottle(), logger: logger))
        trustedProxies = TrustedProxies(settings.environment["IOFFICE_TRUSTED_PROXIES"])
    }

    /// The address a login comes from (the web front end forwards the browser's).
    func clientAddress(_ request: Request, _ context: ServiceRequestContext) -> String {
        trustedProxies.clientAddress(peer: context.clientAddress, headers: request.headers) ?? "unknown"
    }

    /// bcrypt under the gate's hashing permit, outside any database transaction.
    func verifyPassword(_ password: String, against hash: String?) async throws(LoginGate.Refusal) -> Bool {
        try await gate.startHashing()
        let matches = await hasher.verify(password, against: hash)
        await gate.finishHashing()
        return matches
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
