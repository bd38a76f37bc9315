import Contracts
import Logging
import PostgresNIO
import ServiceKit

/// Consumes `notify.directory`: people as Documents announces them, for names and phone numbers.
struct DirectoryHandler: MessageHandler {
    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        switch message.type {
        case DirectoryUserV1.messageType:
            do {
                try await NotifyStore.upsert(try DirectoryUserV1.decode(message.body), on: connection, logger: logger)
            } catch let error as DecodingError {
                throw MessageRejected("\(error)")
            }
        case DirectoryUnitV1.messageType:
            break  // Units matter to Notify only through their people.
        default:
            throw MessageRejected("loại thông điệp không được hỗ trợ (unsupported type \(message.type ?? "none"))")
        }
    }
}
