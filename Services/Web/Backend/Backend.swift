import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The four services' HTTP APIs, called with the user's token. The web front end keeps no data of its
/// own: every page is what these answer.
struct Backend: Sendable {
    enum Service: Sendable { case documents, notify, calendar, signing }

    let settings: WebSettings
    let client: HTTPClient

    func base(_ service: Service) -> String {
        switch service {
        case .documents: settings.documentsURL
        case .notify: settings.notifyURL
        case .calendar: settings.calendarURL
        case .signing: settings.signingURL
        }
    }

    /// The raw answer: status, content type and body.
    struct Answer: Sendable {
        var status: Int
        var contentType: String
        var contentDisposition: String?
        var body: [UInt8]
    }

    func call(
        _ method: HTTPMethod, _ service: Service, _ path: String, token: String?, body: [UInt8]? = nil,
        contentType: String = "application/json", forwardedFor: String? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: base(service) + path)
        request.method = method
        // Documents believes this only from the front end's address (IOFFICE_TRUSTED_PROXIES).
        if let forwardedFor { request.headers.add(name: "X-Forwarded-For", value: forwardedFor) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(30))
        } catch {
            throw BackendProblem.unreachable
        }
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Answer(
            status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type") ?? "application/octet-stream",
            contentDisposition: response.headers.first(name: "Content-Disposition"), body: Array(collected.readableBytesView))
    }

    /// A JSON answer, or the service's problem details as an error.
    func json<T: Decodable>(
        _ method: HTTPMethod, _ service: Service, _ path: String, token: String?, send: (some Encodable)? = Optional<Int>.none,
        as type: T.Type = T.self, forwardedFor: String? = nil
    ) async throws -> T {
        let body = try send.map { try Self.encoder.encode($0) }.map(Array.init)
        let answer = try await call(method, service, path, token: token, body: body, forwardedFor: forwardedFor)
        guard (200..<300).contains(answer.status) else { throw BackendProblem(answer) }
        if T.self == Empty.self { return Empty() as! T }
        return try Self.decoder.decode(T.self, from: Data(answer.body))
    }

    func get<T: Decodable>(_ service: Service, _ path: String, token: String?, as type: T.Type = T.self) async throws -> T {
        try await json(.GET, service, path, token: token, as: type)
    }

    func post<T: Decodable>(
        _ service: Service, _ path: String, token: String?, _ body: some Encodable, as type: T.Type = T.self, forwardedFor: String? = nil
    ) async throws -> T {
        try await json(.POST, service, path, token: token, send: body, as: type, forwardedFor: forwardedFor)
    }

    struct Empty: Decodable {}

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            for options in [ISO8601DateFormatter.Options.withInternetDateTime, [.withInternetDateTime, .withFractionalSeconds]] {
                let formatter = ISO8601DateFormatter()
                formatter.formatOptions = options
                if let date = formatter.date(from: text) { return date }
            }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        return decoder
    }()
}

/// `{items, total}`: one page of a service's list.
struct Listing<Item: Decodable>: Decodable {
    var items: [Item]
    var total: Int
}

/// A service's refusal (RFC 9457 problem details) in the words it gave, for the page.
struct BackendProblem: Error, Sendable {
    var status: Int
    var title: String
    var detail: String?
    /// Field → message, to show next to the field.
    var fields: [String: String]

    static let unreachable = BackendProblem(
        status: 503, title: "Dịch vụ tạm thời không phản hồi", detail: "Vui lòng thử lại sau ít phút.", fields: [:])

    init(status: Int, title: String, detail: String?, fields: [String: String]) {
        self.status = status
        self.title = title
        self.detail = detail
        self.fields = fields
    }

    init(_ answer: Backend.Answer) {
        struct Problem: Decodable {
            var title: String?
            var detail: String?
            var errors: [FieldError]?
            struct FieldError: Decodable { var field: String; var message: String }
        }
        let problem = try? JSONDecoder().decode(Problem.self, from: Data(answer.body))
        status = answer.status
        title = problem?.title ?? "Yêu cầu không thực hiện được (mã \(answer.status))"
        detail = problem?.detail
        var fields: [String: String] = [:]
        for error in problem?.errors ?? [] { fields[error.field, default: ""] += (fields[error.field] == nil ? "" : " ") + error.message }
        self.fields = fields
    }

    /// Every message, for a banner at the top of a form.
    var summary: String {
        ([detail].compactMap { $0 } + fields.values.sorted()).joined(separator: " ").isEmpty
            ? title : ([detail].compactMap { $0 } + fields.sorted { $0.key < $1.key }.map(\.value)).joined(separator: " ")
    }
}
