import Contracts
import Hummingbird
import Yams

/// `METHOD /path/{param}` lines: what openapi.yaml describes, and what a router registers, so each
/// service's tests can hold the two equal.
public enum OpenAPIRoutes {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch"]

    public struct Unreadable: Error {}

    /// Every operation of openapi.yaml.
    public static func described() throws -> Set<String> {
        guard let document = try Yams.load(yaml: OpenAPI.yaml) as? [String: Any], let paths = document["paths"] as? [String: Any] else {
            throw Unreadable()
        }
        var found: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where methods.contains(method) {
                found.insert("\(method.uppercased()) \(path)")
            }
        }
        return found
    }

    /// Every route of a router, Hummingbird's `:param` written as OpenAPI's `{param}`.
    public static func registered<Context>(_ router: Router<Context>) -> Set<String> {
        Set(
            router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { part in
                    part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                }
                return "\(route.method.rawValue) /" + path.joined(separator: "/")
            })
    }
}
