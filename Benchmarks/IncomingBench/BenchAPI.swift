import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The few Documents API calls the benchmark needs, over HTTP like any client.
struct BenchAPI {
    let base: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func call(_ method: HTTPMethod, _ path: String, token: String? = nil, json: [String: Any]? = nil) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), Data(body.readableBytesView))
    }

    func object(_ data: Data) -> [String: Any] { (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:] }

    /// The admin's token; on the first run, the one-time password is changed to a derived one.
    func adminToken(initialPassword: String) async throws -> String {
        let changed = "Bench-" + initialPassword
        let (status, body) = try await call(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": initialPassword])
        if status == 200 {
            let token = object(body)["token"] as? String ?? ""
            let (changeStatus, changeBody) = try await call(
                .POST, "/api/v1/auth/password", token: token, json: ["currentPassword": initialPassword, "newPassword": changed])
            guard changeStatus == 200, let fresh = object(changeBody)["token"] as? String else {
                throw Failure(description: "password change: \(changeStatus)")
            }
            return fresh
        }
        let (again, againBody) = try await call(.POST, "/api/v1/auth/login", json: ["username": "admin", "password": changed])
        guard again == 200, let token = object(againBody)["token"] as? String else { throw Failure(description: "admin login: \(again)") }
        return token
    }

    func ensureAgency(code: String, name: String, token: String) async throws {
        let (status, _) = try await call(.POST, "/api/v1/agencies", token: token, json: ["code": code, "name": name, "active": true])
        guard status == 201 || status == 409 else { throw Failure(description: "agency: \(status)") }
    }

    /// A user with a fresh password each run (reset if it exists), logged in.
    func ensureUser(username: String, fullName: String, roles: [String], token: String) async throws -> String {
        let units = (try JSONSerialization.jsonObject(with: try await call(.GET, "/api/v1/units", token: token).1)) as? [[String: Any]] ?? []
        guard let unit = units.first?["id"] as? String else { throw Failure(description: "no unit") }
        var (status, body) = try await call(
            .POST, "/api/v1/users", token: token, json: ["username": username, "fullName": fullName, "unitId": unit, "roles": roles])
        var initial = object(body)["initialPassword"] as? String
        if status == 409 {
            let list = object(try await call(.GET, "/api/v1/users?q=\(username)", token: token).1)["items"] as? [[String: Any]] ?? []
            guard let id = list.first(where: { $0["username"] as? String == username })?["id"] as? String else {
                throw Failure(description: "user \(username) not found")
            }
            (status, body) = try await call(.POST, "/api/v1/users/\(id)/password-reset", token: token)
            initial = object(body)["initialPassword"] as? String
        }
        guard let initial else { throw Failure(description: "user \(username): \(status)") }
        let first = object(try await call(.POST, "/api/v1/auth/login", json: ["username": username, "password": initial]).1)["token"] as? String
        let (changed, changedBody) = try await call(
            .POST, "/api/v1/auth/password", token: first, json: ["currentPassword": initial, "newPassword": "Thu-nghiem-\(initial)"])
        guard changed == 200, let fresh = object(changedBody)["token"] as? String else { throw Failure(description: "user login: \(changed)") }
        return fresh
    }

    /// Runs a search; returns how many documents matched.
    func search(_ query: String, token: String) async throws -> Int {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let (status, body) = try await call(.GET, "/api/v1/search?q=\(encoded)&perPage=20", token: token)
        guard status == 200 else { throw Failure(description: "search \(query): \(status)") }
        return object(body)["total"] as? Int ?? 0
    }
}
