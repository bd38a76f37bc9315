import Foundation
import PostgresNIO
import Testing

@testable import Documents

/// What a partner sends that we refuse is kept for the operator, but bounded: its first 64 KiB and its
/// size, for 90 days. A flooding partner cannot fill our disk with refusals.
@Suite("Refused partner messages are kept truncated and expire", .serialized, .timeLimit(.minutes(2)))
struct RejectedMessagesTests {
    @Test func aHugeRefusedBodyIsKeptTruncatedAndOldRefusalsArePruned() async throws {
        try await DocumentsHarness.with { harness in
            let huge = [UInt8](repeating: 0x41, count: 3 << 20)
            try await harness.client.withTransaction(logger: testLogger) { connection in
                try await IncomingStore.reject(
                    messageID: "m1", type: "document.v1", brokerUser: "000.00.00.X1", senderCode: nil, documentId: nil,
                    reason: String(repeating: "lý do ", count: 1000), body: huge, on: connection, logger: testLogger)
            }
            #expect(try await harness.database.count("select length(body)::int from rejected_messages") == IncomingStore.keptRejectedBytes)
            #expect(try await harness.database.count("select body_size::int from rejected_messages") == 3 << 20)
            #expect(try await harness.database.count("select length(reason)::int from rejected_messages") == 2000)
            try await harness.client.query(
                "update rejected_messages set received_at = now() - interval '91 days'")
            try await harness.client.withTransaction(logger: testLogger) { connection in
                try await IncomingStore.reject(
                    messageID: "m2", type: "document.v1", brokerUser: "000.00.00.X1", senderCode: nil, documentId: nil, reason: "mới",
                    body: [1, 2, 3], on: connection, logger: testLogger)
            }
            let removed = try await harness.client.withConnection { connection in
                try await IncomingStore.pruneRejected(
                    before: Date().addingTimeInterval(-IncomingStore.rejectedRetention), on: connection, logger: testLogger)
            }
            #expect(removed == 1)
            #expect(try await harness.database.count("select count(*)::int from rejected_messages where message_id = 'm2'") == 1)
        }
    }
}
