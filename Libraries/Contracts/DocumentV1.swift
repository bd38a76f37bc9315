import Crypto
import Foundation

/// `document.v1`: an official document sent from one agency to another, modelled on the national
/// edXML header (routing key `document.<recipientCode>` on `ioffice.exchange`).
public struct DocumentV1: ContractMessage {
    public static let messageType = "document.v1"

    /// The sender's id, stable across resends.
    public var documentId: UUID
    public var from: AgencyRef
    public var to: [AgencyRef]
    /// Số: the number in the sender's register.
    public var number: Int
    /// Ký hiệu, e.g. `LĐLĐ-VP` (the symbol reads `399/LĐLĐ-VP`).
    public var notation: String
    public var issuedAt: CalendarDate
    public var issuedPlace: String
    /// Catalog code: CV, QĐ, KH, TTr, BC, TB, GM, ...
    public var documentType: String
    /// Trích yếu.
    public var subject: String
    public var signer: Signer
    public var urgency: Urgency
    /// Only `none` travels electronically; anything else is refused.
    public var secrecy: String
    /// edXML `Paper=1`.
    public var paperCopyFollows: Bool
    public var dueDate: CalendarDate?
    /// The `documentId` this one answers.
    public var inReplyTo: UUID?
    public var attachments: [Attachment]

    public init(
        documentId: UUID, from: AgencyRef, to: [AgencyRef], number: Int, notation: String, issuedAt: CalendarDate,
        issuedPlace: String, documentType: String, subject: String, signer: Signer, urgency: Urgency = .normal,
        secrecy: String = "none", paperCopyFollows: Bool = false, dueDate: CalendarDate? = nil, inReplyTo: UUID? = nil,
        attachments: [Attachment]
    ) {
        self.documentId = documentId
        self.from = from
        self.to = to
        self.number = number
        self.notation = notation
        self.issuedAt = issuedAt
        self.issuedPlace = issuedPlace
        self.documentType = documentType
        self.subject = subject
        self.signer = signer
        self.urgency = urgency
        self.secrecy = secrecy
        self.paperCopyFollows = paperCopyFollows
        self.dueDate = dueDate
        self.inReplyTo = inReplyTo
        self.attachments = attachments
    }

    /// The signer: name and position (chức vụ).
    public struct Signer: Codable, Sendable, Equatable {
        public var name: String
        public var position: String
        public init(name: String, position: String) {
            self.name = name
            self.position = position
        }
    }

    /// Độ khẩn: thường, khẩn, thượng khẩn, hỏa tốc.
    public enum Urgency: String, Codable, Sendable, CaseIterable {
        case normal, urgent, veryUrgent, flash
    }

    /// A file of the document, carried inline (base64) with its size and SHA-256.
    public struct Attachment: Codable, Sendable, Equatable {
        public var name: String
        public var contentType: String
        public var sha256: String
        public var size: Int
        public var data: String

        public init(name: String, contentType: String, sha256: String, size: Int, data: String) {
            self.name = name
            self.contentType = contentType
            self.sha256 = sha256
            self.size = size
            self.data = data
        }

        /// An attachment for `bytes`, with its size and digest filled in.
        public init(name: String, contentType: String, bytes: [UInt8]) {
            self.init(
                name: name, contentType: contentType, sha256: Self.hex(SHA256.hash(data: bytes)), size: bytes.count,
                data: Data(bytes).base64EncodedString())
        }

        /// The decoded bytes, when `data` is valid base64.
        public var bytes: [UInt8]? { Data(base64Encoded: data).map(Array.init) }

        static func hex(_ digest: SHA256.Digest) -> String {
            digest.map { String(format: "%02x", $0) }.joined()
        }

        func violations(at field: String) -> [ContractViolation] {
            var found: [ContractViolation] = []
            if name.isBlank { found.append(.init(field: "\(field).name", message: "Thiếu tên tệp đính kèm.")) }
            if contentType.isBlank {
                found.append(.init(field: "\(field).contentType", message: "Thiếu kiểu tệp của \"\(name)\"."))
            }
            guard let bytes else {
                found.append(.init(field: "\(field).data", message: "Nội dung tệp \"\(name)\" không phải base64 hợp lệ."))
                return found
            }
            if bytes.count != size {
                found.append(
                    .init(
                        field: "\(field).size",
                        message: "Kích thước tệp \"\(name)\" là \(bytes.count) byte, khác với khai báo \(size) byte."))
            }
            if Self.hex(SHA256.hash(data: bytes)) != sha256.lowercased() {
                found.append(
                    .init(field: "\(field).sha256", message: "Mã băm SHA-256 của tệp \"\(name)\" không khớp: tệp bị hỏng hoặc bị sửa."))
            }
            return found
        }
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found: [ContractViolation] = []
        found += from.violations(at: "from")
        if to.isEmpty { found.append(.init(field: "to", message: "Thiếu cơ quan nhận.")) }
        for (index, agency) in to.enumerated() { found += agency.violations(at: "to[\(index)]") }
        if number < 1 { found.append(.init(field: "number", message: "Số văn bản phải lớn hơn 0.")) }
        if notation.isBlank { found.append(.init(field: "notation", message: "Thiếu ký hiệu văn bản.")) }
        if documentType.isBlank { found.append(.init(field: "documentType", message: "Thiếu loại văn bản.")) }
        if subject.isBlank { found.append(.init(field: "subject", message: "Thiếu trích yếu văn bản.")) }
        if signer.name.isBlank { found.append(.init(field: "signer.name", message: "Thiếu người ký.")) }
        if secrecy != "none" {
            found.append(
                .init(
                    field: "secrecy",
                    message: "Văn bản mật không được gửi, nhận qua mạng; đề nghị gửi bản giấy theo quy định."))
        }
        if issuedAt > CalendarDate(now) {
            found.append(.init(field: "issuedAt", message: "Ngày ban hành \(issuedAt) ở tương lai."))
        }
        if let dueDate, dueDate < issuedAt {
            found.append(.init(field: "dueDate", message: "Hạn xử lý \(dueDate) trước ngày ban hành \(issuedAt)."))
        }
        if attachments.isEmpty { found.append(.init(field: "attachments", message: "Văn bản không có tệp đính kèm.")) }
        for (index, attachment) in attachments.enumerated() { found += attachment.violations(at: "attachments[\(index)]") }
        return found
    }

    /// A copy with every human-readable text in Unicode NFC, the form the system stores.
    public func normalized() -> DocumentV1 {
        var copy = self
        copy.from.name = from.name.nfc
        copy.to = to.map { AgencyRef(code: $0.code, name: $0.name.nfc) }
        copy.notation = notation.nfc
        copy.issuedPlace = issuedPlace.nfc
        copy.documentType = documentType.nfc
        copy.subject = subject.nfc
        copy.signer = Signer(name: signer.name.nfc, position: signer.position.nfc)
        copy.attachments = attachments.map {
            var attachment = $0
            attachment.name = $0.name.nfc
            return attachment
        }
        return copy
    }
}

extension String {
    /// Unicode NFC: one code point per Vietnamese letter where one exists.
    public var nfc: String { precomposedStringWithCanonicalMapping }
}
