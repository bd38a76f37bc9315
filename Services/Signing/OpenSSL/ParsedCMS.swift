import COpenSSL

/// A CMS signature read by OpenSSL once: reading one (its certificates above all) costs about as
/// much as hashing a few hundred kilobytes, so the digest algorithm and the verification share it.
final class ParsedCMS {
    let handle: OpaquePointer

    /// nil when the bytes are not CMS/PKCS#7 signed data.
    init?(_ der: [UInt8]) {
        guard let handle = der.withUnsafeBufferPointer({ ioffice_cms_read($0.baseAddress, $0.count) }) else { return nil }
        self.handle = handle
    }

    deinit { ioffice_cms_free(handle) }

    /// The first signer's digest algorithm as an OpenSSL NID; 0 when OpenSSL knows none.
    var digestAlgorithm: Int32 { ioffice_cms_digest_nid(handle) }
}
