import AsyncHTTPClient
import Foundation
import NIOCore

/// The key set Documents serves at `/.well-known/jwks.json`, fetched over HTTPS; plain HTTP only to a
/// loopback address, where nobody else is on the wire.
public struct RemoteKeySet: KeySetSource {
    public var url: String

    public struct InsecureURL: Error, CustomStringConvertible {
        public var description: String
    }

    public init(url: String) throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else {
            throw InsecureURL(description: "IOFFICE_AUTH_JWKS_URL is not a URL: \(url)")
        }
        let loopback = ["localhost", "::1", "[::1]"].contains(host.lowercased()) || Self.isLoopbackIPv4(host)
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw InsecureURL(
                description: "IOFFICE_AUTH_JWKS_URL must be https (plain http only to a loopback address), or set IOFFICE_AUTH_JWKS to the key set itself: \(url)")
        }
        self.url = url
    }

    /// 127.x.y.z written as four numbers: `127.0.0.1.evil.example` is a host name, not loopback.
    static func isLoopbackIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ part in part.count <= 3 && Int(part).map { (0...255).contains($0) } == true }) else {
            return false
        }
        return parts[0] == "127"
    }

    public func keySet() async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        guard response.status == .ok else { throw KeySetUnavailable(status: Int(response.status.code)) }
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    struct KeySetUnavailable: Error { var status: Int }
}

/// A key set given by configuration (`IOFFICE_AUTH_JWKS`): nothing fetched at all. A rotation then means
/// new configuration and a restart.
public struct StaticKeySet: KeySetSource {
    public var json: String
    public init(json: String) { self.json = json }
    /// 127.x.y.z written as four numbers: `127.0.0.1.evil.example` is a host name, not loopback.
    static func isLoopbackIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts.allSatisfy({ part in part.count <= 3 && Int(part).map { (0...255).contains($0) } == true }) else {
            return false
        }
        return parts[0] == "127"
    }

    public func keySet() async throws -> String { json }
}
