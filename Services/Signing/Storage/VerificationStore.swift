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

    /// A report with the username that asked for it over HTTP (nil for those Documents asked for on the bus).
    static func find(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (report: VerificationV1, requestedBy: String?)? {
        let rows = try await connection.query("select report::text, requested_by from verifications where id = \(id)", logger: logger)
        for try await (json, requester) in rows.decode((String, String?).self) { return (try VerificationV1.decode(Array(json.utf8)), requester) }
        return nil
    }
}
