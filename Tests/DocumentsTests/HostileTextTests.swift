import Foundation
import HummingbirdTesting
import Testing

@testable import Documents

/// Text the database cannot store (a NUL character, written `\u0000` in JSON or `%00` in a URL) is the
/// client's mistake: a 422 naming it, nothing stored, and the service keeps serving. Found by schemathesis
/// (a 500 on `POST /api/v1/document-fields`).
@Suite("Documents: hostile text", .serialized, .timeLimit(.minutes(3)))
struct DocumentsHostileTextTests {
    @Test func aNulCharacterAnywhereIsA422AndNothingIsStored() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let people = try await AccessRulesTests.people(client)
                let before = try await database.count("select count(*)::int from document_fields")
                for body in [["code": "MA\u{0}1", "name": "Trường"], ["code": "MA2", "name": "Tr\u{0}ường"]] {
                    let response = try await client.send(.post, "/api/v1/document-fields", token: people.admin, json: body)
                    #expect(response.status == .unprocessableContent, "\(response.status) \(String(buffer: response.body))")
                    #expect(response.problem?.detail?.contains("NUL") == true)
                }
                #expect(try await database.count("select count(*)::int from document_fields") == before)
                for query in ["users?q=%00", "directory?q=a%00b", "search?q=%00"] {
                    let response = try await client.send(.get, "/api/v1/\(query)", token: people.admin)
                    #expect(response.status.code < 500, "\(query): \(response.status)")
                }
                #expect(try await client.send(.get, "/api/v1/me", token: people.admin).status == .ok)
            }
        }
    }
}
