import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ServiceKit
import Testing

@testable import Documents

/// Tài liệu over HTTP against the real database: one's own library, shared with a person or a unit,
/// deleted and restored, served so that nothing runs, and kept in a dossier.
@Suite("Personal files (tài liệu)", .serialized, .timeLimit(.minutes(3)))
struct PersonalFileTests {
    struct File: Decodable { var id: UUID; var name: String; var size: Int; var mine: Bool }
    struct Files: Decodable { var items: [File]; var total: Int }

    static func upload(_ client: some TestClientProtocol, token: String, name: String, type: String, _ bytes: [UInt8]) async throws -> TestResponse {
        let query = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await client.execute(
            uri: "/api/v1/files?name=\(query)", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: type], body: ByteBuffer(bytes: bytes))
    }

    static func get(_ client: some TestClientProtocol, _ path: String, token: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
    }

    @Test func aLibraryOfOnesOwnSharedDeletedRestoredAndFiledInADossier() async throws {
        try await DocumentsHarness.with { harness in
            let database = harness.database
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let colleague = try #require(office.ids["colleague"])
                let pdf = Array("%PDF-1.7\n% Quy chế làm việc\n%%EOF\n".utf8)
                let uploaded = try await Self.upload(client, token: office.specialist, name: "tai-lieu/../Quy chế làm việc.pdf", type: "application/pdf", pdf)
                #expect(uploaded.status == .created)
                let file = try JSONDecoder().decode(File.self, from: Data(uploaded.body.readableBytesView))
                #expect(file.name == "Quy chế làm việc.pdf" && file.size == pdf.count)
                let mine = try await client.send(.get, "/api/v1/files?view=mine", token: office.specialist).decoded(Files.self)
                #expect(mine.items.map(\.id) == [file.id])
                let back = try await Self.get(client, "/api/v1/files/\(file.id)", token: office.specialist)
                #expect(Array(back.body.readableBytesView) == pdf)

                // Not the colleague's until shared, then read only; a unit's share reaches its members.
                #expect(try await Self.get(client, "/api/v1/files/\(file.id)", token: office.colleague).status == .notFound)
                #expect(try await client.send(.post, "/api/v1/files/\(file.id)/share", token: office.specialist, json: ["userIds": [colleague]]).status == .noContent)
                #expect(try await client.send(.get, "/api/v1/files?view=shared", token: office.colleague).decoded(Files.self).items.map(\.id) == [file.id])
                #expect(try await Self.get(client, "/api/v1/files/\(file.id)", token: office.colleague).status == .ok)
                #expect(try await client.send(.delete, "/api/v1/files/\(file.id)", token: office.colleague).status == .notFound)
                #expect(try await client.send(.post, "/api/v1/files/\(file.id)/share", token: office.specialist, json: ["unitIds": [office.unit]]).status == .noContent)
                #expect(try await Self.get(client, "/api/v1/files/\(file.id)", token: office.leader).status == .ok)

                // A dossier keeps it; deleted, it is gone for readers and restorable by its owner.
                struct Dossier: Decodable { var id: UUID }
                let dossier = try await client.send(.post, "/api/v1/dossiers", token: office.specialist, json: ["name": "Tài liệu tham khảo"]).decoded(Dossier.self)
                #expect(try await client.send(.post, "/api/v1/dossiers/\(dossier.id)/items", token: office.specialist, json: ["fileId": file.id]).status == .created)
                #expect(try await client.send(.delete, "/api/v1/files/\(file.id)", token: office.specialist).status == .noContent)
                #expect(try await Self.get(client, "/api/v1/files/\(file.id)", token: office.colleague).status == .notFound)
                #expect(try await client.send(.get, "/api/v1/files?view=deleted", token: office.specialist).decoded(Files.self).total == 1)
                #expect(try await client.send(.post, "/api/v1/files/\(file.id)/restore", token: office.colleague).status == .notFound)
                #expect(try await client.send(.post, "/api/v1/files/\(file.id)/restore", token: office.specialist).status == .noContent)
                #expect(try await client.send(.get, "/api/v1/files?view=mine", token: office.specialist).decoded(Files.self).total == 1)

                // Deleted a month and more ago: gone for good at the next hourly turn.
                try await client.send(.delete, "/api/v1/files/\(file.id)", token: office.specialist)
                try await database.execute("update personal_files set deleted_at = now() - interval '31 days'")
                let purged = try await harness.client.withConnection { connection in
                    try await PersonalFileStore.purge(before: Date().addingTimeInterval(-PersonalFileRules.keptDeleted), on: connection, logger: testLogger)
                }
                #expect(purged == 1)
            }
        }
    }

    @Test func aFileThatCouldRunScriptComesBackAsAnAttachmentInASandbox() async throws {
        try await DocumentsHarness.with { harness in
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                let html = Array("<html><script>alert(1)</script></html>".utf8)
                let uploaded = try await Self.upload(client, token: office.specialist, name: "trang.html", type: "text/html", html)
                let file = try JSONDecoder().decode(File.self, from: Data(uploaded.body.readableBytesView))
                let back = try await Self.get(client, "/api/v1/files/\(file.id)", token: office.specialist)
                #expect(back.headers[.contentType] == "application/octet-stream")
                #expect(back.headers[.contentDisposition]?.hasPrefix("attachment") == true)
                #expect(back.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
                #expect(try await Self.upload(client, token: office.specialist, name: "", type: "text/plain", Array("x".utf8)).status == .unprocessableContent)
                #expect(try await Self.upload(client, token: office.specialist, name: "rong.txt", type: "text/plain", []).status == .unprocessableContent)
            }
        }
    }
}
