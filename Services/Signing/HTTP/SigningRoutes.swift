import Contracts
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// `POST /api/v1/verify` (a signed PDF as the body, or multipart with `document` and `signature`) and
/// `GET /api/v1/verifications/{id}`, for any logged-in user.
struct SigningRoutes {
    let pool: VerificationPool
    let client: PostgresClient
    let logger: Logger
    static let maximumBody = 50 << 20

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("verify") { request, context -> Response in
            let caller = try context.requireCaller()
            let body: [UInt8]
            do {
                body = Array(try await request.body.collect(upTo: Self.maximumBody).readableBytesView)
            } catch {
                throw ProblemDetails(
                    type: "https://ioffice.example/problems/too-large", title: "Dữ liệu quá lớn", status: .contentTooLarge,
                    detail: "Tệp vượt quá \(Self.maximumBody >> 20) MB.")
            }
            let document = try Self.document(body, contentType: request.headers[.contentType] ?? "")
            let findings = try await pool.verify(document)
            let report = SignatureVerifier.report(findings, verificationId: UUID(), requestId: UUID())
            let hashed: [UInt8] = switch document {
            case .pdf(let file): file
            case .detached(let content, _): content
            }
            try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await VerificationStore.insert(
                    report, documentSHA256: VerifyRequestHandler.sha256(hashed), requestedBy: caller.username, on: connection, logger: logger)
            }
            return try Self.json(report, status: .created)
        }
        // A report is its requester's (and the administrator's): it names the signers of a document that
        // may be confidential. Anyone else gets the same 404 as for an id that does not exist.
        api.get("verifications/:id") { _, context -> Response in
            let caller = try context.requireCaller()
            guard let text = context.parameters.get("id"), let id = UUID(uuidString: text),
                let found = try await client.withConnection({ try await VerificationStore.find(id, on: $0, logger: logger) }),
                found.requestedBy == caller.username || caller.has(.admin)
            else { throw ProblemDetails.notFound("Không tìm thấy kết quả kiểm tra chữ ký.") }
            return try Self.json(found.report, status: .ok)
        }
    }

    /// The report exactly as `verification.v1` carries it on the bus.
    static func json(_ report: VerificationV1, status: HTTPResponse.Status) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try report.encoded())))
    }

    static func document(_ body: [UInt8], contentType: String) throws -> SignedDocument {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch type {
        case "application/pdf":
            return .pdf(body)
        case "multipart/form-data":
            guard let form = MultipartForm(contentType: contentType, body: body), let document = form["document"]?.body,
                let signature = form["signature"]?.body
            else {
                throw ProblemDetails.invalid([
                    .init(field: "body", message: "Cần hai phần “document” (tài liệu) và “signature” (chữ ký CMS tách rời).")
                ])
            }
            return .detached(document: document, signature: signature)
        default:
            throw ProblemDetails(
                type: "https://ioffice.example/problems/unsupported-media-type", title: "Định dạng không được hỗ trợ",
                status: .unsupportedMediaType, detail: "Gửi tệp PDF đã ký (application/pdf) hoặc multipart/form-data với document và signature.")
        }
    }
}

