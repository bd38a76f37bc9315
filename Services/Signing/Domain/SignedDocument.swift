import Foundation

/// What is to be verified: a PDF carrying its signatures, or any document with a detached CMS.
enum SignedDocument: Sendable {
    case pdf([UInt8])
    case detached(document: [UInt8], signature: [UInt8])

    /// A detached signature as given: DER, or PEM (`-----BEGIN CMS-----` / `PKCS7`), decoded to DER.
    static func der(fromSignature bytes: [UInt8]) -> [UInt8] {
        guard bytes.starts(with: Array("-----BEGIN".utf8)) else { return bytes }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }
        return Data(base64Encoded: lines.joined(), options: .ignoreUnknownCharacters).map(Array.init) ?? bytes
    }
}
