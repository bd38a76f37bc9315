import Foundation

/// Where and how to reach the broker. Built from an `amqp://` or `amqps://` URL.
public struct AMQPConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var virtualHost: String
    public var user: String
    public var password: String
    /// TLS (amqps). The peer is verified against `caCertificatePath` when given.
    public var useTLS: Bool
    public var caCertificatePath: String?
    /// Heartbeat interval negotiated with the broker; 0 disables heartbeats.
    public var heartbeatSeconds: Int = 30
    /// Shown in the broker's connection list, so operators can tell services apart.
    public var connectionName: String
    /// Reconnect back-off: doubles from the first to the last bound.
    public var reconnectBackoff: ClosedRange<Duration> = .milliseconds(100) ... .seconds(5)
    /// Upper bound for one synchronous broker call (declare, consume, ...).
    public var rpcTimeout: Duration = .seconds(30)

    public init(
        host: String = "127.0.0.1", port: Int = 5672, virtualHost: String = "/",
        user: String, password: String, useTLS: Bool = false, connectionName: String
    ) {
        self.host = host
        self.port = port
        self.virtualHost = virtualHost
        self.user = user
        self.password = password
        self.useTLS = useTLS
        self.connectionName = connectionName
    }

    /// Parses `amqp[s]://user:password@host[:port]/vhost` (user, password and vhost percent-encoded).
    public init(url: String, connectionName: String) throws(AMQPError) {
        guard let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "amqp" || scheme == "amqps",
            let host = components.host, !host.isEmpty
        else { throw AMQPError.invalidURL(Self.redacted(url)) }
        let tls = scheme == "amqps"
        var vhost = components.percentEncodedPath
        if vhost.hasPrefix("/") { vhost.removeFirst() }
        self.init(
            host: host,
            port: components.port ?? (tls ? 5671 : 5672),
            virtualHost: vhost.isEmpty ? "/" : (vhost.removingPercentEncoding ?? vhost),
            user: components.user ?? "guest",
            password: components.password ?? "",
            useTLS: tls,
            connectionName: connectionName
        )
    }

    /// The URL with its password hidden, fit for logs.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "<invalid url>"
    }
}
