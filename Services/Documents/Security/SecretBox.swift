import Crypto
import Foundation
import ServiceKit

/// Encrypts the secrets Documents must keep (the token-signing key, second-factor secrets) with keys that
/// live outside the database (AES-GCM), so a copy of the database alone gives neither. Several keys may
/// be configured: the first seals, every one opens what it sealed (named by `kid`), so the key can be
/// rotated without losing what is stored. A value stored before encryption existed is read as it is and
/// sealed at its next write.
struct SecretBox: Sendable {
    struct Key: Sendable {
        var kid: String
        var key: SymmetricKey
    }

    let keys: [Key]

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static let prefix = "sealed:v1:"

    /// Keys are lines of text of at least 32 characters (e.g. 128 random bits in hex), newest first:
    /// `IOFFICE_SECRETS_KEYS` (comma-separated) or the file `IOFFICE_SECRETS_KEY_FILE` (one per line).
    init(settings: ServiceSettings) throws {
        var texts: [String] = []
        if let inline = settings.environment["IOFFICE_SECRETS_KEYS"], !inline.isEmpty {
            texts = inline.split(separator: ",").map(String.init)
        } else if let path = settings.environment["IOFFICE_SECRETS_KEY_FILE"], !path.isEmpty {
            guard let file = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Missing(description: "IOFFICE_SECRETS_KEY_FILE \(path) cannot be read")
            }
            texts = file.split(whereSeparator: \.isNewline).map(String.init)
        }
        texts = texts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !texts.isEmpty else {
            throw Missing(
                description: "set IOFFICE_SECRETS_KEY_FILE (or IOFFICE_SECRETS_KEYS): the key that encrypts the token-signing key and second-factor secrets")
        }
        guard texts.allSatisfy({ $0.count >= 32 }) else { throw Missing(description: "a secrets key must be at least 32 characters") }
        try self.init(keyTexts: texts)
    }

    init(keyTexts: [String]) throws {
        keys = keyTexts.map { text in
            let key = SymmetricKey(data: SHA256.hash(data: Data(text.utf8)))
            let kid = key.withUnsafeBytes { SHA256.hash(data: Data($0)) }.prefix(4).map { String(format: "%02x", $0) }.joined()
            return Key(kid: kid, key: key)
        }
    }

    func seal(_ plaintext: Data) throws -> String {
        let current = keys[0]
        let box = try AES.GCM.seal(plaintext, using: current.key)
        guard let combined = box.combined else { throw Unreadable() }
        return Self.prefix + current.kid + ":" + combined.base64EncodedString()
    }

    func seal(_ text: String) throws -> String { try seal(Data(text.utf8)) }

    /// The plaintext of `stored`; a value without the envelope is one from before encryption.
    func open(_ stored: String) throws -> Data {
        guard stored.hasPrefix(Self.prefix) else { return Data(stored.utf8) }
        let parts = stored.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let key = keys.first(where: { $0.kid == parts[0] }), let combined = Data(base64Encoded: String(parts[1])) else {
            throw Unreadable()
        }
        return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: key.key)
    }

    func openText(_ stored: String) throws -> String { String(decoding: try open(stored), as: UTF8.self) }

    func isSealed(_ stored: String) -> Bool { stored.hasPrefix(Self.prefix) }

    /// Sealed with the current (first) key: anything else is sealed again when next read.
    func isCurrent(_ stored: String) -> Bool { stored.hasPrefix(Self.prefix + keys[0].kid + ":") }

    /// A sealed value whose key is not configured, or that was tampered with.
    struct Unreadable: Error {}
}
