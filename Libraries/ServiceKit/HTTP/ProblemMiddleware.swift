import Hummingbird
import Logging
import PostgresNIO

/// Turns every error a route throws into RFC 9457 problem details with a Vietnamese title, including the
/// router's own 404 and 405; an unexpected error becomes a 500 whose details stay in the log.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let transaction as PostgresTransactionError where transaction.closureError != nil {
            // A route that threw inside a transaction meant its own error, not the transaction's.
            throw Self.problem(for: transaction.closureError!, request: request, context: context)
        } catch {
            throw Self.problem(for: error, request: request, context: context)
        }
    }

    static func problem(for error: any Error, request: Request, context: Context) -> ProblemDetails {
        switch error {
        case var problem as ProblemDetails:
            problem.instance = problem.instance ?? request.uri.path
            return problem
        case let error as HTTPError:
            return ProblemDetails(
                type: "https://ioffice.example/problems/http-\(error.status.code)", title: Self.title(for: error.status),
                status: error.status, detail: error.body, instance: request.uri.path)
        case _ where InfrastructureFailure.contains(error) || error is DeadlineExceeded:
            // The database or broker is away or hung (the transaction was given up): worth a retry later.
            context.logger.warning("request failed on the infrastructure", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return ProblemDetails(
                type: "https://ioffice.example/problems/unavailable", title: Self.title(for: .serviceUnavailable),
                status: .serviceUnavailable, detail: "Cơ sở dữ liệu tạm thời không phản hồi. Vui lòng thử lại sau ít phút.",
                instance: request.uri.path)
        case let error as PSQLError where ["22021", "22P05"].contains(error.serverInfo?[.sqlState] ?? ""):
            // A NUL character (JSON `\u0000`, `%00`) or one the database cannot store: the client's text,
            // refused whole (the transaction rolled back), not a fault of ours.
            return ProblemDetails(
                type: "https://ioffice.example/problems/validation", title: "Dữ liệu không hợp lệ", status: .unprocessableContent,
                detail: "Nội dung có ký tự không dùng được (ví dụ ký tự NUL). Vui lòng nhập lại bằng chữ thường.",
                instance: request.uri.path)
        default:
            context.logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return ProblemDetails(
                type: "https://ioffice.example/problems/internal", title: "Lỗi hệ thống", status: .internalServerError,
                detail: "Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại sau.", instance: request.uri.path)
        }
    }

    static func title(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "Yêu cầu không hợp lệ"
        case 401: "Chưa đăng nhập"
        case 403: "Không có quyền"
        case 404: "Không tìm thấy"
        case 405: "Phương thức không được hỗ trợ"
        case 409: "Xung đột dữ liệu"
        case 413: "Dữ liệu quá lớn"
        case 415: "Định dạng không được hỗ trợ"
        case 422: "Dữ liệu không hợp lệ"
        case 429: "Quá nhiều yêu cầu"
        case 503: "Dịch vụ tạm thời không sẵn sàng"
        default: status.code >= 500 ? "Lỗi hệ thống" : "Yêu cầu không thực hiện được"
        }
    }
}
