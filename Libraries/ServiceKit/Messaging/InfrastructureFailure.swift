import AMQPClient
import PostgresNIO
import _ConnectionPoolModule

/// Tells a failure of the parts a message needs (the database or the broker is away, restarting,
/// out of connections, or chose this transaction as a deadlock victim) from a failure of the message
/// itself. The first kind says nothing about the message: it is retried without spending its attempts.
public enum InfrastructureFailure {
    public static func contains(_ error: any Error) -> Bool {
        switch error {
        case let transaction as PostgresTransactionError:
            return [transaction.beginError, transaction.closureError, transaction.commitError]
                .contains { $0.map(contains) ?? false }
        case let postgres as PSQLError:
            return isInfrastructure(postgres)
        case is ConnectionPoolError, is TransactionLostWithConnection, is any WaitsForOperator:
            return true
        case let amqp as AMQPError:
            switch amqp {
            case .notConnected, .connectionLost, .connectionClosed, .library: return true
            default: return false
            }
        default:
            return false
        }
    }

    static func isInfrastructure(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            return true
        case .server:
            return error.serverInfo?[.sqlState].map(isTransientState) ?? false
        default:
            return false
        }
    }

    /// SQLSTATEs that name the server's condition, not the statement: connection exceptions (08),
    /// insufficient resources (53), shutdown and crash recovery (57P01–57P03), and a serialization
    /// failure or deadlock, which succeeds when run again (40001, 40P01).
    static func isTransientState(_ state: String) -> Bool {
        state.hasPrefix("08") || state.hasPrefix("53") || ["57P01", "57P02", "57P03", "40001", "40P01"].contains(state)
    }
}

/// A failure of the deployment, not of the message (no register is open for arrivals): like an outage,
/// the message waits in hand, keeping its attempts, until an administrator mends it; it is never
/// dead-lettered for it.
public protocol WaitsForOperator: Error {}
