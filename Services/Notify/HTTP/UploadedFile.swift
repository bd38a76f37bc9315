import Foundation
import ServiceKit
import VietnameseText

/// A file sent inline with a request (base64), checked before anything is stored.
struct UploadedFile: Codable, Sendable {
    var name: String
    var contentType: String
    var data: String

    static let limit = 20 << 20

    /// The bytes; a 422 naming the field when the file is empty, unnamed or too large.
    func bytes(field: String) throws -> [UInt8] {
        guard let bytes = Data(base64Encoded: data).map(Array.init), !bytes.isEmpty, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ProblemDetails.invalid([.init(field: field, message: "Tệp “\(name)” không có tên hoặc nội dung không hợp lệ.")])
        }
        guard bytes.count <= Self.limit else {
            throw ProblemDetails.invalid([.init(field: field, message: "Tệp “\(name)” lớn hơn \(Self.limit >> 20) MB.")])
        }
        return bytes
    }

    var cleanName: String { VietnameseText.nfc(name) }
}
