/// What can go wrong talking to the broker.
public enum AMQPError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    /// No connection right now; the client is reconnecting. Safe to retry later.
    case notConnected
    /// The connection dropped before the broker confirmed: the outcome is unknown, retry (consumers are idempotent).
    case connectionLost(String)
    /// The broker refused to take responsibility for a published message.
    case nacked
    /// A mandatory message matched no queue.
    case unroutable(code: Int, text: String)
    /// The broker closed a channel, e.g. 403 ACCESS_REFUSED or 404 NOT_FOUND.
    case channelClosed(code: Int, text: String)
    /// The broker closed the whole connection.
    case connectionClosed(code: Int, text: String)
    /// librabbitmq reported an error (socket, protocol, time-out).
    case library(code: Int32, text: String)
    /// The client was shut down.
    case shutdown

    /// Whether the connection must be torn down and re-established.
    var isConnectionFatal: Bool {
        switch self {
        case .connectionClosed, .library, .connectionLost: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid AMQP URL \(url)"
        case .notConnected: "not connected to the broker"
        case .connectionLost(let why): "connection lost before confirm: \(why)"
        case .nacked: "broker nacked the message"
        case .unroutable(let code, let text): "unroutable (\(code) \(text))"
        case .channelClosed(let code, let text): "channel closed by broker (\(code) \(text))"
        case .connectionClosed(let code, let text): "connection closed by broker (\(code) \(text))"
        case .library(let code, let text): "librabbitmq error \(code): \(text)"
        case .shutdown: "client shut down"
        }
    }
}
