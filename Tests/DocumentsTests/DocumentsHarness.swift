import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Prometheus
import ServiceKit
import TestSupport

@testable import Documents

/// Documents' HTTP routes over a fresh schema of the real test database: every test starts from a first
/// start (root unit, `admin` with a known one-time password) and sees no other test's data.
struct DocumentsHarness: Sendable {
    static let adminPassword = "Khoi-tao-2026"
    static let us = AgencyRef(code: "000.00.00.H11", name: "Liên đoàn Lao động tỉnh Cao Bằng")

    let client: PostgresClient
    let accounts: Accounts
    let settings: ServiceSettings
    let verifier: TokenVerifier
    /// Our agency, as the routes name it in statuses.
    let us: AgencyRef

    /// Runs `body` with the harness, then drops its schema.
    static func with<T>(
        environment: [String: String] = [:], us: AgencyRef = DocumentsHarness.us, _ body: (DocumentsHarness) async throws -> T
    ) async throws -> T {
        try await withFreshSchema(component: "documents", migrations: DocumentsMigrations.all, logger: testLogger) { client in
            let settings = ServiceSettings(
                name: "documents", defaultPort: 8080,
                environment: [
                    "IOFFICE_BCRYPT_COST": "4", "IOFFICE_ADMIN_PASSWORD": adminPassword,
                    "IOFFICE_SECRETS_KEYS": "khoa-thu-nghiem-0123456789abcdef0123456789",
                ].merging(environment) { $1 })
            let keyRing = TokenKeyRing()
            let accounts = try Accounts(client: client, logger: testLogger, settings: settings, keyRing: keyRing)
            try await Bootstrap.run(accounts: accounts, settings: settings)
            let verifier = TokenVerifier(keys: keyRing.keys, revocation: SessionStore(client: client, logger: testLogger))
            return try await body(DocumentsHarness(client: client, accounts: accounts, settings: settings, verifier: verifier, us: us))
        }
    }

    /// Documents' router as the service builds it, as an application.
    var application: some ApplicationProtocol {
        Application(
            router: ServiceRuntime.router(
                settings: settings, readiness: Readiness(client: client, connections: [], logger: testLogger),
                registry: PrometheusCollectorRegistry(), verifier: verifier,
                allowedBeforePasswordChange: AuthRoutes.allowedBeforePasswordChange,
                routes: DocumentsHTTP.routes(accounts: accounts, us: us, settings: settings)))
    }

    /// The database alone, for checks inside `#expect` (the router is not Sendable).
    var database: TestDatabase { TestDatabase(client: client) }
}

struct TestDatabase: Sendable {
    let client: PostgresClient

    func count(_ sql: String) async throws -> Int {
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return value }
        return 0
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "tests")
    logger.logLevel = .warning
    return logger
}()

/// JSON requests and responses of the API, as a client sees them.
extension TestClientProtocol {
    @discardableResult
    func send<Body: Encodable>(
        _ method: HTTPRequest.Method, _ path: String, token: String? = nil, json body: Body
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try await execute(uri: path, method: method, headers: headers, body: ByteBuffer(bytes: try encoder.encode(body)))
    }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, token: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: path, method: method, headers: headers)
    }

    /// Logs in and returns the token response; fails the test on anything but 200.
    func login(_ username: String, _ password: String, otp: String? = nil) async throws -> TokenResponse {
        let response = try await send(.post, "/api/v1/auth/login", json: ["username": username, "password": password, "otp": otp])
        guard response.status == .ok else { throw UnexpectedResponse(response) }
        return try response.decoded(TokenResponse.self)
    }
}

extension TestResponse {
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(body.readableBytesView))
    }

    var problem: ProblemDetails? { try? decoded(ProblemDetails.self) }
}

struct UnexpectedResponse: Error, CustomStringConvertible {
    var description: String
    init(_ response: TestResponse) {
        description = "\(response.status.code) \(String(buffer: response.body))"
    }
}
