import Foundation
import Hummingbird

/// An RFC 9457 problem: a stable machine `type`, and a `title`/`detail` in Vietnamese for a person.
public struct ProblemDetails: HTTPResponseError, Codable, Sendable {
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String?
    public var instance: String?
    /// Extension member: what is wrong with each field of the request, for forms to show beside the field.
    public var errors: [FieldError]?
    /// Seconds for a `Retry-After` header (429, 503); a header, not part of the body.
    public var retryAfter: Int?

    /// One field's problem, in Vietnamese.
    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var message: String
        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public init(
        type: String, title: String, status: HTTPResponse.Status, detail: String? = nil, instance: String? = nil,
        errors: [FieldError]? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.errors = errors
    }

    /// 422 for a request whose fields break the rules: one sentence per field in `detail`, and `errors`.
    public static func invalid(_ errors: [FieldError]) -> ProblemDetails {
        ProblemDetails(
            type: "https://ioffice.example/problems/validation", title: "Dữ liệu không hợp lệ", status: .unprocessableContent,
            detail: errors.map(\.message).joined(separator: " "), errors: errors)
    }

    /// 409 for a request that clashes with what is stored (a taken name, a unit still in use).
    public static func conflict(_ detail: String) -> ProblemDetails {
        ProblemDetails(type: "https://ioffice.example/problems/conflict", title: "Xung đột dữ liệu", status: .conflict, detail: detail)
    }

    /// 403 for a step the caller's roles do not allow, saying why.
    public static func forbidden(_ detail: String) -> ProblemDetails {
        ProblemDetails(type: "https://ioffice.example/problems/forbidden", title: "Không có quyền", status: .forbidden, detail: detail)
    }

    /// 404 naming what was not found.
    public static func notFound(_ detail: String) -> ProblemDetails {
        ProblemDetails(type: "https://ioffice.example/problems/not-found", title: "Không tìm thấy", status: .notFound, detail: detail)
    }

    enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, errors }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        title = try container.decode(String.self, forKey: .title)
        status = HTTPResponse.Status(code: try container.decode(Int.self, forKey: .status))
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
        instance = try container.decodeIfPresent(String.self, forKey: .instance)
        errors = try container.decodeIfPresent([FieldError].self, forKey: .errors)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status.code, forKey: .status)
        try container.encodeIfPresent(detail, forKey: .detail)
        try container.encodeIfPresent(instance, forKey: .instance)
        try container.encodeIfPresent(errors, forKey: .errors)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(self)
        var headers: HTTPFields = [.contentType: "application/problem+json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    public static let notFound = ProblemDetails(
        type: "https://ioffice.example/problems/not-found", title: "Không tìm thấy", status: .notFound,
        detail: "Địa chỉ được yêu cầu không tồn tại.")
}
