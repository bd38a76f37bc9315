import Contracts
import Foundation
import Testing

@testable import Signing

/// When a signature is judged (now, or at a verified timestamp's time), which certificates of the chain
/// are checked for revocation and against which CRLs, key purposes, and every signer of a CMS.
@Suite("Validation time, the whole chain, key purposes, every signer", .timeLimit(.minutes(2)))
struct ValidationTimeAndChainTests {
    enum utc { static func date(from text: String) -> Date? { ISO8601DateFormatter().date(from: text) } }

    func verify(_ name: String, trust: FixtureTrust? = nil) throws -> [SignatureFinding] {
        try (trust ?? FixtureTrust.make()).verifier.verify(.pdf(try Fixtures.bytes(name)))
    }

    /// The Decree 30 case: a person's adbe.pkcs7.detached signature, then the agency's PAdES seal made
    /// by pyHanko, whose CMS has no signingTime: the time is the seal dictionary's /M.
    @Test func aPersonThenAPAdESSealPassesWithTheSealsTimeFromItsDictionary() throws {
        let findings = try verify("signer-then-seal.pdf")
        #expect(Verdict.of(findings) == .passed)
        #expect(findings.map(\.coversWholeDocument) == [false, true])
        #expect(findings[1].signerSubject.contains("CN=Lien doan Lao dong tinh Cao Bang"))
        let sealed = try #require(findings[1].signingTime)
        #expect(abs(sealed.timeIntervalSince(findings[0].signingTime ?? .distantPast)) < 86_400 * 400)
        #expect(findings[1].reasons == [.signingTimeClaimed])
    }

    @Test func anExpiredSignerWithAValidTimestampInsideItsValidityPassesAtTheTimestampsTime() throws {
        let findings = try verify("expired-timestamped.pdf")
        #expect(Verdict.of(findings) == .passed)
        let at = try #require(Self.utc.date(from: "2025-03-01T09:00:00Z"))
        #expect(findings[0].signingTime == at)
        #expect(findings[0].validatedAt == at)
        #expect(findings[0].timestampAuthority?.contains("CN=iOffice Test Time Stamping Authority") == true)
        let report = SignatureVerifier.report(findings, verificationId: UUID(), requestId: UUID())
        #expect(report.signatures[0].timeSource == .timestamp)
    }

    /// Its signingTime claims 2025-03-01, inside the validity; nothing proves it, so it is judged now.
    @Test func anExpiredSignerWithABackdatedClaimAndNoTimestampIsNotPassed() throws {
        let findings = try verify("expired-backdated.pdf")
        #expect(Verdict.of(findings) == .indeterminate)
        #expect(findings[0].reasons.contains(.expired))
        #expect(findings[0].signingTime == Self.utc.date(from: "2025-03-01T09:00:00Z"))
        #expect(abs((findings[0].validatedAt ?? .distantPast).timeIntervalSinceNow) < 60)
        #expect(SignatureVerifier.report(findings, verificationId: UUID(), requestId: UUID()).signatures[0].timeSource == .currentTime)
    }

    /// The same backdated signature, then a document timestamp of 2025-03-02 over it (PAdES-LTA's last
    /// step): that proves the signature existed while the certificate held, so it is judged then.
    @Test func aLaterDocumentTimestampProvesTheTimeOfTheSignaturesItCovers() throws {
        let findings = try verify("expired-backdated-document-timestamp.pdf")
        #expect(Verdict.of(findings) == .passed)
        #expect(findings.count == 2)
        let at = try #require(Self.utc.date(from: "2025-03-02T09:00:00Z"))
        #expect(findings[0].validatedAt == at)
        #expect(findings[0].timestampAuthority?.contains("Time Stamping Authority") == true)
        #expect(findings[1].signingTime == at)
        let report = SignatureVerifier.report(findings, verificationId: UUID(), requestId: UUID())
        #expect(report.signatures.map(\.timeSource) == [.timestamp, .timestamp])
    }

    /// The token's genTime changed inside the CMS (outside the signed byte ranges): its own signature no
    /// longer holds, so the time is not proven and the expired certificate is judged now.
    @Test func aTamperedTimestampProvesNothing() throws {
        var pdf = try Fixtures.bytes("expired-timestamped.pdf")
        let genTime = Array("20250301090000Z".utf8).map { String(format: "%02x", $0) }.joined()
        let at = try #require(
            Bytes.indices(of: Array(genTime.utf8), in: pdf).first ?? Bytes.indices(of: Array(genTime.uppercased().utf8), in: pdf).first)
        pdf.replaceSubrange(at..<at + 4, with: Array("3231".utf8))  // "20" becomes "21": the year 2125
        let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
        #expect(findings[0].reasons.contains(.timestampInvalid))
        #expect(findings[0].reasons.contains(.expired))
        #expect(Verdict.of(findings) != .passed)
    }

    @Test func aRevokedIntermediateFailsAndSaysWhichCertificate() throws {
        let findings = try verify("revoked-intermediate.pdf")
        #expect(Verdict.of(findings) == .failed)
        #expect(findings[0].reasons.contains(.revoked))
        guard case .revoked(let at, _, let certificate) = findings[0].revocation else {
            Issue.record("not revoked: \(findings[0].revocation)")
            return
        }
        #expect(certificate?.contains("CN=Revoked Signing CA") == true)
        #expect(at == Self.utc.date(from: "2025-05-01T00:00:00Z"))
    }

    /// The same signer is good by the current CRL; with only a CRL whose nextUpdate has passed, nothing
    /// says so any more.
    @Test func aStaleCRLIsNotGood() throws {
        let findings = try verify("one-signature.pdf", trust: try FixtureTrust.make(staleCRL: true))
        #expect(Verdict.of(findings) == .indeterminate)
        #expect(findings[0].revocation == .unknown)
        #expect(findings[0].reasons.contains(.revocationStale))
    }

    /// Without the root's CRL the intermediate's status is unknown, even though the signer's is good.
    @Test func theIntermediateIsCheckedNotOnlyTheSigner() throws {
        let trust = try FixtureTrust.make()
        try FileManager.default.removeItem(at: trust.crl.appendingPathComponent("root.crl.pem"))
        try FileManager.default.removeItem(at: trust.crl.appendingPathComponent("root-2025-02.crl.pem"))
        let findings = try verify("one-signature.pdf", trust: trust)
        #expect(Verdict.of(findings) == .indeterminate)
        #expect(findings[0].reasons.contains(.noRevocationData))
    }

    /// pyHanko's PAdES-LT seal carries the CRLs it was checked with in the document security store: with
    /// no CRL configured they decide; without them the same file is indeterminate.
    @Test func revocationDataTheDocumentCarriesIsUsed() throws {
        let bare = try FixtureTrust.make(withCRL: false)
        #expect(Verdict.of(try verify("seal-with-dss.pdf", trust: bare)) == .passed)
        #expect(Verdict.of(try verify("signer-then-seal.pdf", trust: bare)) == .indeterminate)
    }

    /// A CRL a document carries that its issuer did not sign counts for nothing.
    @Test func aForgedCRLFromADocumentIsIgnored() throws {
        let genuine = [try Self.der("intermediate.crl.pem"), try Self.der("root.crl.pem")]
        var forged = genuine
        forged[0][forged[0].count - 8] ^= 0xff
        let bare = try FixtureTrust.make(withCRL: false).store.current()
        let pdf = try Fixtures.bytes("one-signature.pdf")
        let fields = try PDFSignatureScanner.scan(pdf).fields
        func verdict(_ crls: [[UInt8]]) -> Verdict {
            let r = fields[0].byteRange
            return Verdict.of(
                CMSCheck.verify(
                    signature: fields[0].contents, in: pdf, ranges: [r[0]..<r[0] + r[1], r[2]..<r[2] + r[3]], trust: bare.adding(crls: crls)))
        }
        #expect(verdict(genuine) == .passed)
        #expect(verdict(forged) == .indeterminate)
    }

    /// OCSP responses a document carries (a CA's delegated responder's): "good" decides where no CRL of the
    /// signing CA is at hand, "revoked" fails, and a response whose signature is broken counts for nothing.
    @Test func ocspResponsesFromADocumentAreCheckedAndUsed() throws {
        let rootCRL = try Self.der("root.crl.pem")
        let bare = try FixtureTrust.make(withCRL: false).store.current()
        func verdict(_ name: String, index: Int, ocsp: [[UInt8]]) throws -> (Verdict, [SignatureFinding]) {
            let pdf = try Fixtures.bytes(name)
            let field = try PDFSignatureScanner.scan(pdf).fields[index]
            let r = field.byteRange
            let findings = CMSCheck.verify(
                signature: field.contents, in: pdf, ranges: [r[0]..<r[0] + r[1], r[2]..<r[2] + r[3]],
                trust: bare.adding(crls: [rootCRL], ocspResponses: ocsp))
            return (Verdict.of(findings), findings)
        }
        let good = try Fixtures.bytes("agency.ocsp.der")
        #expect(try verdict("two-signatures.pdf", index: 1, ocsp: []).0 == .indeterminate)
        #expect(try verdict("two-signatures.pdf", index: 1, ocsp: [good]).0 == .passed)
        let revoked = try verdict("revoked.pdf", index: 0, ocsp: [try Fixtures.bytes("revoked.ocsp.der")])
        #expect(revoked.0 == .failed)
        #expect(revoked.1[0].reasons.contains(.revoked))
        var forged = good
        forged[forged.count - 20] ^= 0xff  // near its end: the responder certificate it carries no longer verifies
        #expect(try verdict("two-signatures.pdf", index: 1, ocsp: [forged]).0 == .indeterminate)
        // The agency's response says nothing about another signer.
        #expect(try verdict("two-signatures.pdf", index: 0, ocsp: [good]).0 == .indeterminate)
    }

    static func der(_ name: String) throws -> [UInt8] {
        let text = String(decoding: try Fixtures.bytes(name), as: UTF8.self)
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(try #require(Data(base64Encoded: body)))
    }

    @Test func aTLSOnlyCertificateFails() throws {
        let findings = try verify("tls-only.pdf")
        #expect(Verdict.of(findings) == .failed)
        #expect(findings[0].reasons.contains(.extendedKeyUsage))
    }

    @Test func everySignerOfACMSIsCheckedAndReported() throws {
        let findings = try verify("two-signers-one-bad.pdf")
        #expect(findings.count == 2)
        #expect(findings[0].signerSubject.contains("CN=Tran Cong Huan"))
        #expect(findings[0].reasons == [.signingTimeClaimed])
        #expect(findings[1].signerSubject.contains("CN=TLS Server Only"))
        #expect(findings[1].reasons.contains(.extendedKeyUsage))
        #expect(Verdict.of(findings) == .failed)
    }

    @Test func whatChangedAfterSigningIsNamedInTheMessage() throws {
        let findings = try verify("open-action.pdf")
        #expect(findings[0].message.contains("/OpenAction"))
        #expect(try verify("changed-resources.pdf")[0].message.contains("/Resources"))
    }
}
