import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// One row of an admin-maintained catalog. Each catalog says its table, its columns and its rules; the
/// routes and SQL around it are shared (`CatalogRoutes`).
protocol CatalogEntry: ResponseCodable, Sendable {
    /// The path under `/api/v1`, e.g. `document-types`.
    static var path: String { get }
    static var table: String { get }
    /// Stored columns other than `id`, in the order of `values()`.
    static var columns: [String] { get }
    static var orderBy: String { get }
    /// What one entry is called, in Vietnamese, for messages ("loại văn bản").
    static var label: String { get }

    var id: UUID { get set }
    init(row: PostgresRandomAccessRow) throws
    /// The values of `columns`, in order.
    func values() throws -> PostgresBindings
    /// The entry with its text NFC-normalised and trimmed, or the reasons it is refused.
    func normalized() -> Result<Self, CatalogInvalid>
    /// Runs every add, change and removal (`change`) inside its transaction: a catalog with a rule over
    /// all its rows (at least one register of each kind stays in use) checks it here.
    static func guarding(_ change: () async throws -> Void, on connection: PostgresConnection, logger: Logger) async throws
}

/// Why a catalog entry is refused, one message per field.
struct CatalogInvalid: Error {
    var errors: [ProblemDetails.FieldError]
}

extension CatalogEntry {
    static func guarding(_ change: () async throws -> Void, on connection: PostgresConnection, logger: Logger) async throws {
        try await change()
    }

    static var selectSQL: String { "select id, \(columns.joined(separator: ", ")) from \(table)" }
}
