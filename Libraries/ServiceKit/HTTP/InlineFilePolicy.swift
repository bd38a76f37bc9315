/// Which stored files a browser may show in place. Files come from partner agencies and users, with the
/// type their sender chose: shown inline from our origin, an HTML or SVG file would run its script as the
/// clerk. A file is inline only when its declared type is on the allow-list and its first bytes are that
/// type's; everything else goes out as an `application/octet-stream` attachment.
public enum InlineFilePolicy {
    /// Types a browser renders without running anything the file carries, with the bytes they start with.
    static let allowed: [String: @Sendable (_ head: ArraySlice<UInt8>) -> Bool] = [
        "application/pdf": { $0.starts(with: Array("%PDF-".utf8)) },
        "image/png": { $0.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) },
        "image/jpeg": { $0.starts(with: [0xFF, 0xD8, 0xFF]) },
        "image/gif": { $0.starts(with: Array("GIF87a".utf8)) || $0.starts(with: Array("GIF89a".utf8)) },
        "image/webp": { $0.count >= 12 && $0.prefix(4).elementsEqual(Array("RIFF".utf8)) && $0.dropFirst(8).prefix(4).elementsEqual(Array("WEBP".utf8)) },
    ]

    public struct Decision: Equatable, Sendable {
        public var contentType: String
        public var inline: Bool

        public init(contentType: String, inline: Bool) {
            self.contentType = contentType
            self.inline = inline
        }
    }

    /// How to serve a file declared as `declaredType` whose content starts with `head`.
    public static func decide(declaredType: String, head: some Collection<UInt8>, wantInline: Bool = true) -> Decision {
        let type = declaredType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let matches = allowed[type], matches(ArraySlice(head.prefix(16))) else {
            return Decision(contentType: "application/octet-stream", inline: false)
        }
        return Decision(contentType: type, inline: wantInline)
    }

    /// Headers every file response carries: nothing in it may run or be sniffed into something that runs.
    public static let lockdownHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", "sandbox; default-src 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
    ]
}
