import Contracts
import Foundation
import Logging
import PostgresNIO

/// Stored reports, fetched again by id.
enum VerificationStore {
    static func insert(
        _ report: VerificationV1, documentSHA256: String, requestedBy: String?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let json = String(decoding: try report.encoded(), as: UTF8.self)
        try await connection.query(
            """
            insert into verifications (id, request_id, result, document_sha256, report, requested_by)
            values (\(report.verificationId), \(report.requestId), \(report.result.rawValue), \(documentSHA256), \(json)::jsonb, \(requestedBy))
            """, logger: logger)
    }

    static func find(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> VerificationV1? {
        let rows = try await connection.query("select report::text from verifications where id = \(id)", logger: logger)
        for try await json in rows.decode(String.self) { return try VerificationV1.decode(Array(json.utf8)) }
        return nil
    }
}
