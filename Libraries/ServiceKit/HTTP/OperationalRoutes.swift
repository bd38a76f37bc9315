import Foundation
import Hummingbird
import Prometheus

/// `GET /health` (alive), `GET /ready` (database and broker reachable) and `GET /metrics` (Prometheus):
/// public on purpose, for operators and orchestrators.
public enum OperationalRoutes {
    public static func add<Context: RequestContext>(
        to router: Router<Context>, service: String, readiness: Readiness, registry: PrometheusCollectorRegistry
    ) {
        router.get("health") { _, _ in
            try json(["status": "ok", "service": service], status: .ok)
        }
        router.get("ready") { _, _ in
            let checks = await readiness.check()
            let ready = checks.values.allSatisfy { $0 }
            var body: [String: String] = checks.mapValues { $0 ? "ok" : "unavailable" }.merging(
                ["status": ready ? "ready" : "not ready", "service": service]) { a, _ in a }
            let problems = readiness.problems()
            if !problems.isEmpty { body["problems"] = problems.joined(separator: "; ") }
            return try json(body, status: ready ? .ok : .serviceUnavailable)
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    static func json(_ value: [String: String], status: HTTPResponse.Status) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
