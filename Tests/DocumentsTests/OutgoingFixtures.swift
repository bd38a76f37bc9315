import AMQPClient
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import TestSupport

@testable import Documents

/// The people of an outgoing-document test: the office of the incoming tests (all in Văn phòng), plus
/// a second unit, Ban Tổ chức, with its own leader, to receive internal documents.
struct OutgoingOffice {
    var office: Office
    var otherUnit: UUID
    var otherLeader: String
    var otherLeaderId: UUID
    var otherSpecialistId: UUID

    static func make(_ client: some TestClientProtocol) async throws -> OutgoingOffice {
        let office = try await Office.make(client)
        let unit = try await client.send(
            .post, "/api/v1/units", token: office.admin,
            json: FirstLoginJourneyTests.NewUnit(code: "TC", name: "Ban Tổ chức", abbreviation: "TC", parentId: nil)
        ).decoded(UnitView.self)
        var tokens: [String] = []
        var ids: [UUID] = []
        for (name, role) in [("Vi Văn Tổ Chức", "unitLeader"), ("Lục Thị Cán Bộ", "specialist")] {
            let created = try await client.send(
                .post, "/api/v1/users", token: office.admin,
                json: FirstLoginJourneyTests.NewUser(
                    username: nil, fullName: name, unitId: unit.id, position: "", roles: [role], permissions: [], phone: nil)
            ).decoded(CreatedUser.self)
            let first = try await client.login(created.username, created.initialPassword)
            tokens.append(
                try await client.send(
                    .post, "/api/v1/auth/password", token: first.token,
                    json: ["currentPassword": created.initialPassword, "newPassword": "Mat-khau-to-chuc-2026"]
                ).decoded(TokenResponse.self).token)
            ids.append(created.id)
        }
        return OutgoingOffice(office: office, otherUnit: unit.id, otherLeader: tokens[0], otherLeaderId: ids[0], otherSpecialistId: ids[1])
    }
}

/// Requests and views of the outgoing API, as a client writes and reads them.
enum Outgoing {
    struct File: Codable { var name: String; var contentType: String; var data: String }
    struct Recipient: Encodable { var unitId: UUID?; var userId: UUID?; var agencyCode: String?; var paper: Bool? }
    struct Draft: Encodable {
        var documentTypeId: UUID
        var subject: String
        var secrecy: String?
        var flags: [String]?
        var files: [File]
        var recipients: [Recipient]
    }
    struct Action: Encodable { var action: String; var to: UUID?; var comment: String?; var files: [File]? }
    struct Issue: Encodable { var registerId: UUID; var issuedAt: String?; var signerName: String; var signerPosition: String?; var overrideSignature: Bool? }
    struct Created: Decodable { var id: UUID }
    struct Detail: Decodable {
        var id: UUID
        var state: String
        var number: Int?
        var symbol: String?
        var notation: String?
        var files: [FileView]
        var recipients: [RecipientView]
        var history: [Step]
        var actions: [String]
    }
    struct FileView: Decodable { var id: UUID; var kind: String; var version: Int; var verification: String? }
    struct RecipientView: Decodable { var kind: String; var name: String; var delivery: String; var incomingId: UUID?; var status: String? }
    struct Step: Decodable { var actor: String; var action: String; var comment: String? }

    static func file(_ name: String, _ bytes: [UInt8], type: String = "application/pdf") -> File {
        File(name: name, contentType: type, data: Data(bytes).base64EncodedString())
    }
    static let draftFile = file("du-thao.docx", Array("Dự thảo quyết định".utf8), type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
}

extension TestDatabase {
    func id(_ sql: String) async throws -> UUID {
        for try await value in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(UUID.self) { return value }
        throw NoRow(sql: sql)
    }

    func execute(_ sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql))
    }

    struct NoRow: Error { var sql: String }
}

extension TestClientProtocol {
    /// A request that must succeed, decoded.
    func expectOK<T: Decodable>(_ method: HTTPRequest.Method, _ path: String, token: String, json body: some Encodable, as type: T.Type) async throws -> T {
        let response = try await send(method, path, token: token, json: body)
        guard response.status == .ok || response.status == .created else { throw UnexpectedResponse(response) }
        return try response.decoded(type)
    }
}
