import Foundation

/// The OpenAPI description of every service's HTTP routes, shipped with the library.
public enum OpenAPI {
    public static var yaml: String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("openapi.yaml is missing from the Contracts bundle") }
        return text
    }
}
