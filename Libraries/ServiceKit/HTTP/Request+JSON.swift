import Foundation
import Hummingbird

extension Request {
    /// The JSON body as `T`; a body that is not `T` is a 400 saying, in Vietnamese, which field is wrong.
    public func json<T: Decodable>(_ type: T.Type, context: ServiceRequestContext, limit: Int = 1 << 20) async throws -> T {
        try Self.decode(T.self, from: try await bodyData(limit: limit))
    }

    /// The body, refused with 413 beyond `limit` bytes.
    public func bodyData(limit: Int = 1 << 20) async throws -> Data {
        do {
            return Data(try await body.collect(upTo: limit).readableBytesView)
        } catch {
            throw ProblemDetails(
                type: "https://ioffice.example/problems/too-large", title: "Dữ liệu quá lớn", status: .contentTooLarge,
                detail: "Nội dung yêu cầu vượt quá \(limit / 1024) KB.")
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder.api.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw badRequest(explain(error))
        }
    }

    public static func badRequest(_ detail: String) -> ProblemDetails {
        ProblemDetails(
            type: "https://ioffice.example/problems/bad-request", title: "Yêu cầu không hợp lệ", status: .badRequest, detail: detail)
    }

    public static func explain(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "Thiếu trường “\(path(context.codingPath + [key]))”."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.codingPath.isEmpty ? "Nội dung không phải JSON hợp lệ." : "Trường “\(path(context.codingPath))” sai kiểu dữ liệu."
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "Nội dung không phải JSON hợp lệ." : "Trường “\(path(context.codingPath))” có giá trị không hợp lệ."
        @unknown default: return "Nội dung không phải JSON hợp lệ."
        }
    }
}

extension JSONDecoder {
    /// Dates as ISO 8601, like every JSON the services write.
    public static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension ServiceRequestContext {
    /// The client's address, for the usage log. Only the socket's peer: a forwarded-for header could be
    /// written by anyone.
    public var clientAddress: String? { remoteAddress?.ipAddress }
}

/// `page` (1 to 10,000) and `perPage` (at most 200) of a list request. A page past the bound is a 422, not
/// an overflow of `(page - 1) * perPage`, which would end the process.
public struct Paging: Sendable {
    public static let pages = 1...10_000
    public var page: Int
    public var perPage: Int
    public var offset: Int { (page - 1) * perPage }

    public init(_ request: Request) throws {
        let asked = request.uri.queryParameters.get("page", as: Int.self) ?? 1
        guard asked <= Self.pages.upperBound else {
            throw ProblemDetails.invalid([.init(field: "page", message: "Số trang phải từ 1 đến \(Self.pages.upperBound).")])
        }
        page = max(1, asked)
        perPage = min(200, max(1, request.uri.queryParameters.get("perPage", as: Int.self) ?? 50))
    }
}

/// `{items, total}`: one page of a list and how many there are in all.
public struct Page<Item: Codable & Sendable>: ResponseCodable, Sendable {
    public var items: [Item]
    public var total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

extension UUID {
    /// A path parameter as an id; anything else is a 404, as no such thing exists.
    public static func parameter(_ name: String, of context: ServiceRequestContext, what: String) throws -> UUID {
        guard let text = context.parameters.get(name), let id = UUID(uuidString: text) else {
            throw ProblemDetails.notFound("Không tìm thấy \(what).")
        }
        return id
    }
}
