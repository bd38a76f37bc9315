import JWTKit
import AMQPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import ServiceKit
import Testing
import TestSupport

@Suite("Operational HTTP routes against the real database and broker", .timeLimit(.minutes(1)))
struct OperationalRoutesTests {
    @Test func readyAnswers503UntilStartUpFinishedThen200() async throws {
        try await withDatabase { client in
            let connection = try TestEnvironment.connection("ready")
            defer { Task { await connection.close() } }
            try await connection.waitUntilConnected()
            let readiness = Readiness(client: client, connections: [connection], logger: testLogger)
            let settings = ServiceSettings(name: "documents", defaultPort: 0, environment: [:])
            let registry = PrometheusCollectorRegistry()
            registry.makeCounter(
                descriptor: .init(namespace: "ioffice", metricName: "test", unitName: "total", helpText: "a test counter")
            ).increment()
            let app = Application(router: ServiceRuntime.router(settings: settings, readiness: readiness, registry: registry, verifier: TokenVerifier(keys: .init())))
            try await app.test(.router) { http in
                try await http.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("\"status\":\"ok\""))
                }
                try await http.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(String(buffer: response.body).contains("\"startup\":\"unavailable\""))
                }
                readiness.markStarted()
                try await http.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = String(buffer: response.body)
                    #expect(body.contains("\"database\":\"ok\"") && body.contains("\"broker\":\"ok\""))
                }
                try await http.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("ioffice_test_total 1"))
                }
            }
        }
    }

    @Test func unknownRouteAnswersVietnameseProblemDetails() async throws {
        try await withDatabase { client in
            let readiness = Readiness(client: client, connections: [], logger: testLogger)
            let settings = ServiceSettings(name: "notify", defaultPort: 0, environment: [:])
            let app = Application(
                router: ServiceRuntime.router(
                    settings: settings, readiness: readiness, registry: PrometheusCollectorRegistry(),
                    verifier: TokenVerifier(keys: .init())))
            try await app.test(.router) { http in
                try await http.execute(uri: "/api/v1/khong-co", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                    let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(buffer: response.body))
                    #expect(problem.title == "Không tìm thấy")
                    #expect(problem.status == .notFound)
                    #expect(problem.instance == "/api/v1/khong-co")
                }
            }
        }
    }
}

@Suite("Where the browser may be sent after login", .timeLimit(.minutes(1)))
struct LocalRedirectTests {
    @Test func onlyPlainPathsOfThisSiteAreKept() {
        for good in ["/van-ban-den", "/van-ban-den?hop=cho-xu-ly&trang=2", "/van-ban-di/3f2a"] {
            #expect(LocalRedirect.path(good) == good)
        }
        for bad in [
            "//evil.example", "/\\evil.example", "\\\\evil.example", "/%5Cevil.example", "/%5cevil.example", "https://evil.example",
            "evil.example", "/\tevil", "/\n/evil.example", "/%2F%2Fevil.example", "", "/tệp", String(repeating: "/a", count: 2000),
        ] {
            #expect(LocalRedirect.path(bad) == nil, "\(bad)")
        }
        #expect(LocalRedirect.path(nil) == nil)
    }
}
