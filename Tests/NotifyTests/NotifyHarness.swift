import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import PostgresNIO
import Prometheus
import ServiceKit

@testable import Notify

/// Notify's routes as the service builds them, and tokens for people of the directory copy. (The
/// router is built once and only read afterwards.)
struct NotifyHarness: @unchecked Sendable {
    let database: PostgresClient
    let keys: JWTKeyCollection
    let router: Router<ServiceRequestContext>

    init(database: PostgresClient) async throws {
        self.database = database
        keys = JWTKeyCollection()
        await keys.add(eddsa: try EdDSA.PrivateKey(), kid: "test")
        let events = InboxEvents(client: database, logger: notifyLogger)
        router = ServiceRuntime.router(
            settings: ServiceSettings(name: "notify", defaultPort: 8081, environment: [:]),
            readiness: Readiness(client: database, connections: [], logger: notifyLogger), registry: PrometheusCollectorRegistry(),
            verifier: TokenVerifier(keys: keys),
            routes: { _, api in
                InboxRoutes(client: database, events: events, logger: notifyLogger).add(to: api)
                SmsRoutes(client: database, logger: notifyLogger).add(to: api)
                NoticeRoutes(client: database, logger: notifyLogger).add(to: api)
                NewsRoutes(client: database, logger: notifyLogger).add(to: api)
                ChatRoutes(client: database, logger: notifyLogger).add(to: api)
                UrgentRoutes(client: database, logger: notifyLogger).add(to: api)
            })
    }

    func token(
        _ user: UUID, name: String, roles: [Role] = [.specialist], permissions: [Permission] = [], lifetime: Duration = .seconds(600)
    ) async throws -> String {
        try await keys.sign(
            AccessClaims(
                userID: user, sessionID: UUID(), username: name.lowercased(), name: name, unit: nil, roles: roles, permissions: permissions,
                mustChangePassword: false, issuedAt: Date(), lifetime: lifetime), kid: "test")
    }

    /// A person in the directory copy, as a directory event would put them.
    func person(_ id: UUID, _ name: String, unit: UUID, phone: String? = nil) async throws {
        try await database.query(
            "insert into people (user_id, username, full_name, unit_id, phone, active, version) values (\(id), \(name.lowercased()), \(name), \(unit), \(phone), true, 1)")
    }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ path: String, token: String, json: (any Encodable)? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONEncoder().encode(json))
        }
        return try await execute(uri: path, method: method, headers: headers, body: body)
    }
}

extension TestResponse {
    func json<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(body.readableBytesView))
    }
}
