import Logging
import PostgresNIO
import ServiceKit

/// The database's own refusals, said in the user's terms.
enum DatabaseProblem {
    static func translate(_ error: any Error, label: String) -> any Error {
        guard let error = error as? PSQLError, let code = error.serverInfo?[.sqlState] else { return error }
        switch code {
        case "23505": return ProblemDetails.conflict("Đã có \(label) trùng mã hoặc trùng tên.")
        case "23503":
            // Deleting something still referenced, or pointing at something that does not exist.
            return ProblemDetails.conflict("Không thể lưu hoặc xóa \(label) vì còn dữ liệu liên quan, hoặc dữ liệu liên quan không tồn tại.")
        case "23514", "22P02": return ProblemDetails.invalid([.init(field: "", message: "Giá trị của \(label) không hợp lệ.")])
        default: return error
        }
    }
}

extension DatabaseProblem {
    /// A transaction whose database refusals (a taken name, a missing reference) reach the user in
    /// their terms, naming `label`.
    static func transaction<T: Sendable>(
        on client: PostgresClient, label: String, logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await client.withTransaction(deadline: .requestTransaction, logger: logger) { try await body($0) }
        } catch let error as PostgresTransactionError {
            throw translate(error.closureError ?? error, label: label)
        }
    }
}
