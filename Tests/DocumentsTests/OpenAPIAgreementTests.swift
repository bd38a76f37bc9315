import Contracts
import Foundation
import Hummingbird
import Prometheus
import ServiceKit
import Testing
import TestSupport
import Yams

@testable import Documents

/// Every route the services register is described in `openapi.yaml`, and nothing more.
@Suite("openapi.yaml agrees with the registered routes", .timeLimit(.minutes(3)))
struct OpenAPIAgreementTests {
    static func described() throws -> Set<String> { try OpenAPIRoutes.described() }
    static func registered(_ router: Router<ServiceRequestContext>) -> Set<String> { OpenAPIRoutes.registered(router) }

    @Test func documentsRoutesAreExactlyTheDescribedOnes() async throws {
        try await DocumentsHarness.with { harness in
            let router = ServiceRuntime.router(
                settings: harness.settings, readiness: Readiness(client: harness.client, connections: [], logger: testLogger),
                registry: PrometheusCollectorRegistry(), verifier: harness.verifier,
                routes: DocumentsHTTP.routes(accounts: harness.accounts, us: DocumentsHarness.us, settings: harness.settings))
            let registered = Self.registered(router)
            let described = try Self.described()
            #expect(registered.subtracting(described).sorted() == [], "registered but not in openapi.yaml")
            // Routes of the other services (added by their issues) may be described without being Documents'.
            let otherServices = described.filter { route in
                ["/api/v1/verif", "/api/v1/messages", "/api/v1/sms", "/api/v1/notices", "/api/v1/news", "/api/v1/conversations", "/api/v1/urgent",
                    "/api/v1/meetings", "/api/v1/schedule", "/api/v1/calendar", "/calendar/"].contains { route.contains($0) }
            }
            #expect(described.subtracting(registered).subtracting(otherServices).sorted() == [], "in openapi.yaml but not registered")
        }
    }

    @Test func theOperationalRoutesAndMeAreThoseOfEveryService() throws {
        let described = try Self.described()
        for route in ["GET /health", "GET /ready", "GET /metrics", "GET /api/v1/me"] {
            #expect(described.contains(route), "\(route)")
        }
    }

    @Test func directoryEventsNameTheRolesAndPermissionsThereAre() throws {
        let document = try #require(try Yams.load(yaml: AsyncAPI.yaml) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let user = (schemas?["DirectoryUserV1"] as? [String: Any])?["properties"] as? [String: Any]
        func enumeration(_ field: String) -> Set<String> {
            Set(((user?[field] as? [String: Any])?["items"] as? [String: Any])?["enum"] as? [String] ?? [])
        }
        #expect(enumeration("roles") == Set(Role.allCases.map(\.rawValue)))
        #expect(enumeration("permissions") == Set(Permission.allCases.map(\.rawValue)))
    }
}
