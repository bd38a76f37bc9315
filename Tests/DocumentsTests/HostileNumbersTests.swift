import Foundation
import HummingbirdTesting
import Testing

@testable import Documents

/// A page number is multiplied into an offset: past its bound it is a 422, not an overflow that ends
/// the process, on every list.
@Suite("Documents: hostile page numbers", .serialized, .timeLimit(.minutes(3)))
struct DocumentsHostileNumbersTests {
    @Test func aPageNearIntMaxIsAnswered422OnEveryListAndTheServiceKeepsServing() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                for list in [
                    "incoming", "incoming?box=pending", "search?q=van", "outgoing", "users", "directory", "usage-log",
                    "rejected-messages",
                ] {
                    let separator = list.contains("?") ? "&" : "?"
                    for page in ["9223372036854775807", "10001"] {
                        let response = try await client.send(.get, "/api/v1/\(list)\(separator)page=\(page)", token: people.admin)
                        #expect(response.status == .unprocessableContent, "\(list) page \(page): \(response.status)")
                        #expect(response.problem?.errors?.first?.field == "page", "\(list)")
                    }
                    let first = try await client.send(.get, "/api/v1/\(list)\(separator)page=-9223372036854775808", token: people.admin)
                    #expect(first.status == .ok, "\(list): a page below 1 is the first page")
                }
                #expect(try await client.send(.get, "/api/v1/me", token: people.admin).status == .ok)
            }
        }
    }
}
