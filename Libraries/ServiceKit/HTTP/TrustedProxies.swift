import HTTPTypes

/// The peers whose `X-Forwarded-For` is believed (`IOFFICE_TRUSTED_PROXIES`, comma-separated): a request
/// from one of them comes from the last address it forwarded; anything before that was written by the
/// client. Documents trusts the web front end this way, and the front end its TLS proxy.
public struct TrustedProxies: Sendable {
    public let addresses: Set<String>

    public init(_ list: String?) {
        addresses = Set((list ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    public var isEmpty: Bool { addresses.isEmpty }

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The client's address for a request from `peer` with `headers`.
    public func clientAddress(peer: String?, headers: HTTPFields) -> String? {
        guard let peer, addresses.contains(peer), let forwarded = headers[Self.forwardedFor],
            let last = forwarded.split(separator: ",").last.map({ $0.trimmingCharacters(in: .whitespaces) }), !last.isEmpty, last.count <= 64
        else { return peer }
        return last
    }
}
