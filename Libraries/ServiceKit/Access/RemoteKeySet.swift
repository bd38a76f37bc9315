import AsyncHTTPClient
import Foundation
import NIOCore

/// The key set Documents serves at `/.well-known/jwks.json`.
public struct RemoteKeySet: KeySetSource {
    public var url: String

    public init(url: String) { self.url = url }

    public func keySet() async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        guard response.status == .ok else { throw KeySetUnavailable(status: Int(response.status.code)) }
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    struct KeySetUnavailable: Error { var status: Int }
}
