import COpenSSL

/// The content digests of a PDF's signatures, with the bytes they share hashed once. Each signature
/// covers the file from its start up to its own `/Contents`, so a later signature's first range
/// extends an earlier one's: one running digest walks the file, and a copy of it finishes each
/// signature with that signature's second range. Two signatures over a 1 MB file hash about 1 MB,
/// not 2.
enum SharedPrefixDigests {
    struct Digest: Sendable {
        var algorithm: Int32
        var value: [UInt8]
    }

    /// One entry per field (with its CMS, if readable); nil where the CMS names no digest OpenSSL
    /// knows or the ranges do not start at the file's beginning (the caller then lets OpenSSL read the
    /// content itself).
    static func compute(_ fields: [PDFSignatureField], signatures: [ParsedCMS?], in file: [UInt8]) -> [Digest?] {
        var digests = [Digest?](repeating: nil, count: fields.count)
        let algorithms = signatures.map { $0?.digestAlgorithm ?? 0 }
        file.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            for algorithm in Set(algorithms) where algorithm != 0 {
                let order = fields.indices
                    .filter { algorithms[$0] == algorithm && fields[$0].startsAtBeginning(within: bytes.count) }
                    .sorted { fields[$0].byteRange[1] < fields[$1].byteRange[1] }
                guard let running = ioffice_digest_new(algorithm) else { continue }
                defer { ioffice_digest_free(running) }
                var hashed = 0
                for index in order {
                    let range = fields[index].byteRange
                    guard ioffice_digest_update(running, base + hashed, range[1] - hashed) == 1,
                        let copy = ioffice_digest_copy(running)
                    else { break }
                    defer { ioffice_digest_free(copy) }
                    hashed = range[1]
                    var value = [UInt8](repeating: 0, count: 64)
                    guard ioffice_digest_update(copy, base + range[2], range[3]) == 1 else { continue }
                    let length = ioffice_digest_final(copy, &value)
                    if length > 0 { digests[index] = Digest(algorithm: algorithm, value: Array(value.prefix(length))) }
                }
            }
        }
        return digests
    }
}

extension PDFSignatureField {
    /// `[0 a c d]` inside a file of `count` bytes, the only shape whose first range can be shared.
    fileprivate func startsAtBeginning(within count: Int) -> Bool {
        byteRange.count == 4 && byteRange[0] == 0 && byteRange[1] >= 0 && byteRange[1] <= count && byteRange[2] >= byteRange[1]
            && byteRange[3] >= 0 && byteRange[2] <= count - byteRange[3]
    }
}
