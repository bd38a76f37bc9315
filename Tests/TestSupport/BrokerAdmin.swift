import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The broker's management API (`IOFFICE_BROKER_ADMIN_URL`), for faults a client cannot cause itself.
public enum BrokerAdmin {
    /// Closes, from the broker's side, every connection whose client gave `connectionName`: to the
    /// client it is a connection lost, after which it reconnects. Returns how many were closed. The
    /// management API lists a new connection only after its next statistics round (5 s), so this waits
    /// up to 15 s for one to show.
    @discardableResult
    public static func closeConnections(named connectionName: String) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(15)
        while true {
            let closed = try await closeListedConnections(named: connectionName)
            if closed > 0 || ContinuousClock.now > deadline { return closed }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    private static func closeListedConnections(named connectionName: String) async throws -> Int {
        let listing = try await call("GET", "api/connections?columns=name,client_properties")
        let connections = (try JSONSerialization.jsonObject(with: listing) as? [[String: Any]]) ?? []
        var closed = 0
        for connection in connections {
            let properties = connection["client_properties"] as? [String: Any]
            guard properties?["connection_name"] as? String == connectionName, let name = connection["name"] as? String
            else { continue }
            let path = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name
            _ = try await call("DELETE", "api/connections/\(path)")
            closed += 1
        }
        return closed
    }

    /// Deletes a queue of the test vhost, if it exists (partners may not delete even their own).
    public static func deleteQueue(_ name: String) async throws {
        let vhost = ProcessInfo.processInfo.environment["IOFFICE_BROKER_VHOST"] ?? "ioffice"
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }
        do {
            _ = try await call("DELETE", "api/queues/\(encode(vhost))/\(encode(name))")
        } catch let failed as TestEnvironment.CommandFailed where failed.output == "HTTP 404" {}
    }

    /// Deletes a broker user (a test partner's), closing its connections.
    public static func deleteUser(_ name: String) async throws {
        _ = try await call("DELETE", "api/users/\(name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? name)")
    }

    static func call(_ method: String, _ path: String) async throws -> Data {
        let base = TestEnvironment.value("IOFFICE_BROKER_ADMIN_URL")
        guard var components = URLComponents(string: base), let user = components.user, let password = components.password
        else { throw TestEnvironment.CommandFailed(command: "broker admin", output: "bad IOFFICE_BROKER_ADMIN_URL") }
        components.user = nil
        components.password = nil
        guard let url = URL(string: (components.string ?? "") + "/" + path) else {
            throw TestEnvironment.CommandFailed(command: "broker admin", output: "bad path \(path)")
        }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = method
        let credentials = Data("\(user.removingPercentEncoding ?? user):\(password.removingPercentEncoding ?? password)".utf8)
        request.setValue("Basic \(credentials.base64EncodedString())", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw TestEnvironment.CommandFailed(command: "\(method) \(path)", output: "HTTP \(status)")
        }
        return data
    }
}
