import Foundation

/// `verify-request.v1` on queue `signing.verify`: check the signatures of a document. A signed PDF
/// carries its own; otherwise `signature` is a detached CMS (base64).
public struct VerifyRequestV1: ContractMessage {
    public static let messageType = "verify-request.v1"

    public var requestId: UUID
    public var document: Document
    public var signature: String?

    /// The document inline (`data`, base64) or by reference (`ref`), with its SHA-256.
    public struct Document: Codable, Sendable, Equatable {
        public var sha256: String
        public var data: String?
        public var ref: String?
        public init(sha256: String, data: String? = nil, ref: String? = nil) {
            self.sha256 = sha256
            self.data = data
            self.ref = ref
        }
    }

    public init(requestId: UUID, document: Document, signature: String? = nil) {
        self.requestId = requestId
        self.document = document
        self.signature = signature
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found: [ContractViolation] = []
        if (document.data == nil) == (document.ref == nil) {
            found.append(.init(field: "document", message: "Cần đúng một trong hai: nội dung (data) hoặc tham chiếu (ref)."))
        }
        if document.sha256.count != 64 || !document.sha256.allSatisfy(\.isHexDigit) {
            found.append(.init(field: "document.sha256", message: "Mã băm SHA-256 phải gồm 64 ký tự hexa."))
        }
        if let signature, Data(base64Encoded: signature) == nil {
            found.append(.init(field: "signature", message: "Chữ ký tách rời không phải base64 hợp lệ."))
        }
        return found
    }
}
