import Foundation
import JWTKit

/// The issuer's current key set, fetched at the first token, again for a token whose `kid` it does not
/// hold (at most once per `interval`, so forged tokens cannot make us hammer Documents), and again once
/// it is older than `maxAge` (so a key Documents stopped publishing stops working), with concurrent
/// callers sharing one fetch. A fetch replaces the set: keys are never merged. While Documents cannot
/// be reached, tokens of keys already held still pass, and others get 503, not 401.
actor KeySetCache {
    private let source: any KeySetSource
    private let interval: Duration
    private let maxAge: Duration
    private var keys = JWTKeyCollection()
    private var kids: Set<String> = []
    private var lastAttempt: ContinuousClock.Instant?
    private var lastSuccess: ContinuousClock.Instant?
    private var fetching: Task<Loaded, any Error>?
    private(set) var fetches = 0

    struct Loaded: Sendable {
        var keys: JWTKeyCollection
        var kids: Set<String>
    }

    /// What Documents' key-set route tells caches (`max-age=300`).
    init(source: any KeySetSource, interval: Duration, maxAge: Duration = .seconds(300)) {
        self.source = source
        self.interval = interval
        self.maxAge = maxAge
    }

    /// The set to verify a token naming `kid` with.
    func keys(for kid: String?) async throws -> JWTKeyCollection {
        let fresh = lastSuccess.map { ContinuousClock.now - $0 < maxAge } ?? false
        let held = kid.map(kids.contains) ?? (lastSuccess != nil)
        if held, fresh { return keys }
        do {
            try await refresh(stale: held)
        } catch where held {
            // Documents away: the keys we have still verify what they signed.
            return keys
        }
        return keys
    }

    /// Fetches unless one was tried within `interval`; a stale set (`stale`) is due regardless.
    private func refresh(stale: Bool) async throws {
        let task: Task<Loaded, any Error>
        if let fetching {
            task = fetching
        } else {
            let now = ContinuousClock.now
            if let lastAttempt, now - lastAttempt < interval {
                // Tried lately. A stale set is kept until the next try is due; an unknown kid is refused,
                // unless that try failed: then the answer is "unavailable", not "logged out".
                if !stale, lastSuccess.map({ $0 < lastAttempt }) ?? true { throw Self.unavailable }
                return
            }
            lastAttempt = now
            fetches += 1
            task = Task { [source] in try await Self.load(from: source) }
            fetching = task
        }
        defer { if fetching == task { fetching = nil } }
        let loaded: Loaded
        do {
            loaded = try await task.value
        } catch {
            throw Self.unavailable
        }
        keys = loaded.keys
        kids = loaded.kids
        lastSuccess = .now
    }

    static let unavailable = ProblemDetails(
        type: "https://ioffice.example/problems/keys-unavailable", title: "Dịch vụ tạm thời không sẵn sàng",
        status: .serviceUnavailable, detail: "Chưa kiểm tra được phiên đăng nhập. Vui lòng thử lại sau ít phút.")

    private static func load(from source: any KeySetSource) async throws -> Loaded {
        let json = try await source.keySet()
        struct Set: Decodable { var keys: [Key]; struct Key: Decodable { var kid: String? } }
        let kids = try JSONDecoder().decode(Set.self, from: Data(json.utf8)).keys.compactMap(\.kid)
        let collection = JWTKeyCollection()
        try await collection.add(jwksJSON: json)
        return Loaded(keys: collection, kids: Swift.Set(kids))
    }

    /// The `kid` in a compact JWT's header, without trusting anything else in it.
    nonisolated static func kid(of token: String) -> String? {
        guard let header = token.split(separator: ".", maxSplits: 1).first, header.count < 2048 else { return nil }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        struct Header: Decodable { var kid: String? }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return (try? JSONDecoder().decode(Header.self, from: data))?.kid
    }
}
