import Foundation
import JWTKit

/// The issuer's current key set, fetched at the first token and again only for a token whose `kid` it
/// does not hold, at most once per `interval` (so forged tokens cannot make us hammer Documents), with
/// concurrent callers sharing one fetch. A fetch replaces the set: keys are never merged.
actor KeySetCache {
    private let source: any KeySetSource
    private let interval: Duration
    private var keys = JWTKeyCollection()
    private var kids: Set<String> = []
    private var lastFetch: ContinuousClock.Instant?
    private var fetching: Task<Loaded, any Error>?
    private(set) var fetches = 0

    struct Loaded: Sendable {
        var keys: JWTKeyCollection
        var kids: Set<String>
    }

    init(source: any KeySetSource, interval: Duration) {
        self.source = source
        self.interval = interval
    }

    /// The set to verify a token naming `kid` with.
    func keys(for kid: String?) async throws -> JWTKeyCollection {
        if let kid, kids.contains(kid) { return keys }
        if lastFetch != nil, kid == nil { return keys }
        try await refresh()
        return keys
    }

    private func refresh() async throws {
        let task: Task<Loaded, any Error>
        if let fetching {
            task = fetching
        } else {
            if let lastFetch, ContinuousClock.now - lastFetch < interval { return }
            lastFetch = .now
            fetches += 1
            task = Task { [source] in try await Self.load(from: source) }
            fetching = task
        }
        defer { if fetching == task { fetching = nil } }
        let loaded: Loaded
        do {
            loaded = try await task.value
        } catch {
            throw ProblemDetails(
                type: "https://ioffice.example/problems/keys-unavailable", title: "Dịch vụ tạm thời không sẵn sàng",
                status: .serviceUnavailable, detail: "Chưa kiểm tra được phiên đăng nhập. Vui lòng thử lại sau ít phút.")
        }
        keys = loaded.keys
        kids = loaded.kids
    }

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
