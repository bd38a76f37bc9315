import Foundation
import Logging
import Testing

@testable import Signing

/// Trust and CRL folders holding the fixtures' root, intermediate and CRL, for one test.
struct FixtureTrust {
    let trust: URL
    let crl: URL
    let store: TrustStore

    /// The root, the intermediates, and the CRLs: those current now and the archive of February 2025
    /// (current at the expired signer's timestamp); `staleCRL` puts the intermediate's stale CRL in place
    /// of its current one.
    static func make(withCRL: Bool = true, withRoot: Bool = true, staleCRL: Bool = false) throws -> FixtureTrust {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("signing-\(UUID().uuidString)")
        let trust = base.appendingPathComponent("trust")
        let crl = base.appendingPathComponent("crl")
        try FileManager.default.createDirectory(at: trust, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: crl, withIntermediateDirectories: true)
        if withRoot { try Fixtures.data("trust-root.pem").write(to: trust.appendingPathComponent("root.pem")) }
        for name in ["trust-intermediate.pem", "trust-revoked-ca.pem"] { try Fixtures.data(name).write(to: trust.appendingPathComponent(name)) }
        if withCRL {
            let lists = staleCRL ? ["intermediate-stale.crl.pem", "root.crl.pem"] : Fixtures.currentCRLs + Fixtures.archivedCRLs
            for name in lists { try Fixtures.data(name).write(to: crl.appendingPathComponent(name)) }
        }
        return FixtureTrust(trust: trust, crl: crl, store: TrustStore(trustDirectory: trust, crlDirectory: crl, logger: Logger(label: "test")))
    }

    var verifier: SignatureVerifier { SignatureVerifier(trust: store) }
}

enum Fixtures {
    static let currentCRLs = ["intermediate.crl.pem", "root.crl.pem"]
    static let archivedCRLs = ["intermediate-2025-02.crl.pem", "root-2025-02.crl.pem"]
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "generated/\(name)", withExtension: nil)!
    }
    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }
    static func bytes(_ name: String) throws -> [UInt8] { Array(try data(name)) }
}

@Suite("Every fixture gives its expected verdict and reasons", .timeLimit(.minutes(2)))
struct FixtureVerificationTests {
    func verify(_ document: SignedDocument, trust: FixtureTrust? = nil) throws -> (Verdict, [SignatureFinding]) {
        let findings = try (trust ?? FixtureTrust.make()).verifier.verify(document)
        return (Verdict.of(findings), findings)
    }

    @Test func aSignedPDFWithTrustedChainAndCRLPasses() throws {
        let (verdict, findings) = try verify(.pdf(try Fixtures.bytes("one-signature.pdf")))
        #expect(verdict == .passed)
        #expect(findings.count == 1)
        #expect(findings[0].reasons == [.signingTimeClaimed])
        #expect(findings[0].coversWholeDocument)
        #expect(findings[0].signerSubject.contains("CN=Tran Cong Huan"))
        #expect(findings[0].chain.count == 3)
        #expect(findings[0].revocation == .good)
        #expect(findings[0].message.hasPrefix("Chữ ký của Tran Cong Huan hợp lệ"))
    }

    @Test func signerThenAgencyAreBothReportedAndTheFirstIsOnlyFollowedBySignatures() throws {
        let (verdict, findings) = try verify(.pdf(try Fixtures.bytes("two-signatures.pdf")))
        #expect(verdict == .passed)
        #expect(findings.map(\.coversWholeDocument) == [false, true])
        #expect(findings.map(\.reasons) == [[.signingTimeClaimed], [.signingTimeClaimed]])
        #expect(findings[1].signerSubject.contains("CN=Lien doan Lao dong tinh Cao Bang"))
    }

    @Test func aPageSwappedAfterSigningFails() throws {
        let (verdict, findings) = try verify(.pdf(try Fixtures.bytes("modified-after-signing.pdf")))
        #expect(verdict == .failed)
        #expect(findings[0].reasons.contains(.modifiedAfterSigning))
    }

    @Test func aFlippedByteInsideTheSignedRangeFails() throws {
        let (verdict, findings) = try verify(.pdf(try Fixtures.bytes("tampered.pdf")))
        #expect(verdict == .failed)
        #expect(findings[0].reasons.contains(.digestMismatch))
    }

    @Test func anUntrustedKeyIsIndeterminate() throws {
        let (verdict, findings) = try verify(.pdf(try Fixtures.bytes("untrusted.pdf")))
        #expect(verdict == .indeterminate)
        #expect(findings[0].reasons.contains(.untrustedRoot))
    }

    @Test func aCertificateRevokedBeforeSigningFailsWithDateAndReason() throws {
        let (verdict, findings) = try verify(.pdf(try Fixtures.bytes("revoked.pdf")))
        #expect(verdict == .failed)
        #expect(findings[0].reasons.contains(.revoked))
        guard case .revoked(let at, let reason, _) = findings[0].revocation else {
            Issue.record("not revoked: \(findings[0].revocation)")
            return
        }
        #expect(at == ISO8601DateFormatter().date(from: "2025-06-01T00:00:00Z"))
        #expect(reason == "keyCompromise")
    }

    @Test func withoutACRLTheRevocationIsUnknownAndTheVerdictIndeterminate() throws {
        let (verdict, findings) = try verify(.pdf(try Fixtures.bytes("one-signature.pdf")), trust: try FixtureTrust.make(withCRL: false))
        #expect(verdict == .indeterminate)
        #expect(findings[0].revocation == .unknown)
        #expect(findings[0].reasons.contains(.noRevocationData))
    }

    @Test func detachedCMSInDERAndPEMOverTheirContent() throws {
        let content = try Fixtures.bytes("content.txt")
        for name in ["signer.cms.der", "signer.cms.pem"] {
            let (verdict, _) = try verify(.detached(document: content, signature: try Fixtures.bytes(name)))
            #expect(verdict == .passed, "\(name)")
        }
        var changed = content
        changed[0] ^= 1
        let (verdict, findings) = try verify(.detached(document: changed, signature: try Fixtures.bytes("signer.cms.der")))
        #expect(verdict == .failed)
        #expect(findings[0].reasons.contains(.digestMismatch))
    }

    @Test func aCertificateWithoutTheSigningKeyUsageFails() throws {
        let (verdict, findings) = try verify(
            .detached(document: try Fixtures.bytes("content.txt"), signature: try Fixtures.bytes("encipher.cms.der")))
        #expect(verdict == .failed)
        #expect(findings[0].reasons.contains(.keyUsage))
    }

    @Test func aTrustAnchorDroppedInIsPickedUpWithoutARestart() throws {
        let trust = try FixtureTrust.make(withRoot: false)
        let pdf = SignedDocument.pdf(try Fixtures.bytes("one-signature.pdf"))
        #expect(Verdict.of(trust.verifier.verify(pdf)) == .indeterminate)
        try Fixtures.data("trust-root.pem").write(to: trust.trust.appendingPathComponent("root.pem"))
        Thread.sleep(forTimeInterval: 1.1)
        #expect(Verdict.of(trust.verifier.verify(pdf)) == .passed)
    }

    @Test(arguments: [Array("not a pdf".utf8), Array("%PDF-1.7\n".utf8), []])
    func garbageIsAFailedReport(bytes: [UInt8]) throws {
        let (verdict, findings) = try verify(.pdf(bytes))
        #expect(verdict == .failed)
        #expect(!findings.isEmpty)
    }
}
