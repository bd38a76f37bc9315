import Crypto
import Testing

@testable import Signing

/// The digests hashed once over the signatures' shared bytes are the digests of each signature's own
/// bytes, and a signature checked with one gives the same finding as OpenSSL reading the content.
@Suite("Shared-prefix digests of a PDF's signatures", .timeLimit(.minutes(2)))
struct SharedPrefixDigestTests {
    @Test(arguments: ["two-signatures.pdf", "bench-1mb-two-signatures.pdf", "one-signature.pdf", "tampered.pdf"])
    func eachDigestIsTheDigestOfThatSignaturesBytes(fixture: String) throws {
        let file = try Fixtures.bytes(fixture)
        let fields = try PDFSignatureScanner.scan(file).fields
        let digests = SharedPrefixDigests.compute(fields, signatures: fields.map { ParsedCMS($0.contents) }, in: file)
        #expect(digests.count == fields.count)
        for (field, digest) in zip(fields, digests) {
            let digest = try #require(digest)
            #expect(digest.value == Array(SHA256.hash(data: field.signedBytes(of: file))))
        }
    }

    @Test(arguments: ["two-signatures.pdf", "tampered.pdf", "revoked.pdf", "untrusted.pdf"])
    func aSignatureCheckedWithItsDigestReadsAsOneCheckedOverItsContent(fixture: String) throws {
        let file = try Fixtures.bytes(fixture)
        let trust = try FixtureTrust.make().store.current()
        let fields = try PDFSignatureScanner.scan(file).fields
        let signatures = fields.map { ParsedCMS($0.contents) }
        let digests = SharedPrefixDigests.compute(fields, signatures: signatures, in: file)
        #expect(digests.allSatisfy { $0 != nil })
        for (index, field) in fields.enumerated() {
            let r = field.byteRange
            let ranges = [r[0]..<r[0] + r[1], r[2]..<r[2] + r[3]]
            let withDigest = CMSCheck.verify(
                signature: field.contents, in: file, ranges: ranges, parsed: signatures[index], digest: digests[index], trust: trust)
            let overContent = CMSCheck.verify(signature: field.contents, in: file, ranges: ranges, trust: trust)
            #expect(withDigest == overContent)
        }
    }
}
