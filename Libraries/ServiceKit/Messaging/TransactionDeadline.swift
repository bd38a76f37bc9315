import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction`, given up after `deadline`.
    ///
    /// A query written to a connection the server has just closed is never answered by PostgresNIO
    /// (its promise is dropped with the write; vapor/postgres-nio#487): after an immediate shutdown every
    /// transaction in flight hangs, each holding its pooled connection, and the pool runs dry. Here the
    /// hung work is abandoned, and the connection is closed before it goes back to the pool: the server
    /// rolls the transaction back, and the pool drops the connection instead of lending it again in the
    /// middle of someone else's transaction.
    public func withTransaction<Result: Sendable>(
        deadline: Duration, logger: Logger, file: String = #file, line: Int = #line,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            do {
                return try await withDeadline(deadline, "a database transaction (\(file):\(line))") {
                    try await connection.withTransaction(logger: logger, file: file, line: line) { try await body($0) }
                }
            } catch let error as DeadlineExceeded {
                let serverGone = connection.isClosed
                logger.warning(
                    "database transaction abandoned; closing its connection",
                    metadata: ["error": "\(error)", "connectionWasClosed": "\(serverGone)"])
                try? await connection.close()
                // A connection already closed says the database went away, not that the work was slow.
                if serverGone { throw TransactionLostWithConnection(deadline: deadline) }
                throw error
            } catch is CancellationError {
                // The caller gave up (shutdown): the abandoned work may still be using the connection, so
                // it must not go back to the pool open.
                try? await connection.close()
                throw CancellationError()
            }
        }
    }
}

extension Duration {
    /// How long the transaction of an HTTP request or a periodic job may take before it is given up:
    /// far longer than any of them needs, short enough that a hung connection is returned to the pool.
    public static let requestTransaction = Duration.seconds(20)
}

/// A transaction that hung because its connection closed under it: an infrastructure failure.
public struct TransactionLostWithConnection: Error, CustomStringConvertible {
    public let deadline: Duration
    public var description: String { "the database connection closed under a transaction, which got no answer within \(deadline)" }
}
