import Foundation
import NIOCore
import NIOPosix

/// One HTTP/1.1 request on a connection of its own, optionally from a chosen local address, so a test can
/// be "another client" (127.0.0.2) and not only the one loopback address, and can send many at once.
public enum RawHTTP {
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
    }

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public static func send(
        _ method: String, _ path: String, port: Int, host: String = "127.0.0.1", from local: String? = nil,
        headers: [String: String] = [:], body: String = ""
    ) async throws -> Answer {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let local { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: local, port: 0)) }
        let channel = try await bootstrap.connect(host: host, port: port) { channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n" + body
        let received = try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ByteBuffer()
            for try await var chunk in inbound { received.writeBuffer(&chunk) }
            return String(buffer: received)
        }
        return try parse(received)
    }

    /// A JSON POST, the way a login is sent.
    public static func postJSON(_ path: String, port: Int, from local: String? = nil, headers: [String: String] = [:], json: [String: String])
        async throws -> Answer
    {
        let body = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
        return try await send(
            "POST", path, port: port, from: local, headers: headers.merging(["Content-Type": "application/json"]) { $1 }, body: body)
    }

    static func parse(_ text: String) throws -> Answer {
        guard let split = text.range(of: "\r\n\r\n") else { throw Malformed(description: "no header end in \(text.prefix(200))") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusLine = lines.first?.split(separator: " ") ?? []
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Malformed(description: "status line \(lines.first ?? "")") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}
