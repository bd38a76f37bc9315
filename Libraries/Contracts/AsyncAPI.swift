import Foundation

/// The AsyncAPI description of every channel and message, shipped with the library.
public enum AsyncAPI {
    public static var yaml: String {
        guard let url = Bundle.module.url(forResource: "asyncapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("asyncapi.yaml is missing from the Contracts bundle") }
        return text
    }
}
