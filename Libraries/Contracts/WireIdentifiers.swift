import Foundation

// Identifiers on the wire are written in lower case (RFC 9562 §4), whatever Foundation's `uuidString`
// does (upper case). The contracts' synthesised `encode(to:)` picks these overloads over the generic
// ones because they are more specific; they are read back in any case.
extension KeyedEncodingContainer {
    public mutating func encode(_ value: UUID, forKey key: Key) throws {
        try encode(value.uuidString.lowercased(), forKey: key)
    }

    public mutating func encodeIfPresent(_ value: UUID?, forKey key: Key) throws {
        try encodeIfPresent(value?.uuidString.lowercased(), forKey: key)
    }

    public mutating func encode(_ value: [UUID], forKey key: Key) throws {
        try encode(value.map { $0.uuidString.lowercased() }, forKey: key)
    }
}

extension ContractCoding {
    /// The `documentId` of a message exactly as its sender wrote it, so that a reply echoes the
    /// sender's own string (a partner matching strings finds its document whatever case it uses).
    /// Nil when the field is missing or is not a UUID.
    public static func documentIdAsSent(in body: [UInt8]) -> String? {
        struct Sent: Decodable { var documentId: String }
        guard let sent = try? JSONDecoder().decode(Sent.self, from: Data(body)), UUID(uuidString: sent.documentId) != nil
        else { return nil }
        return sent.documentId
    }
}
