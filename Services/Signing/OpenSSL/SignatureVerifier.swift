import Contracts
import Foundation

/// Checks every signature of a document against the current trust and says what holds, per signature
/// and overall. Every input is hostile: anything unreadable is a `failed` report with its reason, never
/// a crash.
struct SignatureVerifier: Sendable {
    let trust: TrustStore

    static let supportedSubFilters: Set<String> = ["adbe.pkcs7.detached", "ETSI.CAdES.detached"]

    func verify(_ document: SignedDocument) -> [SignatureFinding] {
        let current = trust.current()
        switch document {
        case .detached(let content, let signature):
            return CMSCheck.verify(signature: SignedDocument.der(fromSignature: signature), content: content, trust: current)
        case .pdf(let file):
            let found: PDFSignatureScanner.Finding
            do {
                found = try PDFSignatureScanner.scan(file)
            } catch {
                if case .tooComplex = error { return [SignatureFinding(coversWholeDocument: false, reasons: [.tooComplex])] }
                return [SignatureFinding(coversWholeDocument: false, reasons: [.malformed])]
            }
            let signatures = found.fields.map { ParsedCMS($0.contents) }
            let digests = SharedPrefixDigests.compute(found.fields, signatures: signatures, in: file)
            var findings = found.fields.indices.flatMap { index in
                let field = found.fields[index]
                let r = field.byteRange
                return CMSCheck.verify(
                    signature: field.contents, in: file, ranges: [r[0]..<r[0] + r[1], r[2]..<r[2] + r[3]], parsed: signatures[index],
                    digest: digests[index], claimedTime: field.claimedTime, trust: current
                ).map { signer in
                    var finding = signer
                    finding.byteRanges = [[r[0], r[1]], [r[2], r[3]]]
                    finding.coversWholeDocument = field.coversWholeFile
                    if !Self.supportedSubFilters.contains(field.subFilter) { finding.reasons.append(.unsupportedSubFilter) }
                    if !field.laterChanges.isEmpty { finding.reasons.append(.modifiedAfterSigning) }
                    finding.laterChanges = field.laterChanges
                    return finding
                }
            }
            findings += found.malformed.map { _ in SignatureFinding(coversWholeDocument: false, reasons: [.byteRangeInvalid]) }
            if findings.isEmpty { findings = [SignatureFinding(coversWholeDocument: false, reasons: [.noSignatures])] }
            return findings
        }
    }

    /// The contract's report.
    static func report(_ findings: [SignatureFinding], verificationId: UUID, requestId: UUID) -> VerificationV1 {
        VerificationV1(
            verificationId: verificationId, requestId: requestId,
            result: VerificationV1.Result(rawValue: Verdict.of(findings).rawValue) ?? .failed,
            signatures: findings.map { finding in
                VerificationV1.SignatureReport(
                    signerSubject: finding.signerSubject, serialNumber: finding.serialNumber, chain: finding.chain,
                    coversWholeDocument: finding.coversWholeDocument, byteRanges: finding.byteRanges, signingTime: finding.signingTime,
                    validAtSigningTime: finding.validAtSigningTime, revocation: revocation(finding.revocation),
                    reasonCodes: finding.reasons.map(\.rawValue), message: finding.message, validatedAt: finding.validatedAt,
                    timeSource: finding.validatedAt == nil ? nil : finding.timestampAuthority == nil ? .currentTime : .timestamp,
                    timestampAuthority: finding.timestampAuthority)
            })
    }

    static func revocation(_ state: SignatureFinding.Revocation) -> VerificationV1.Revocation {
        switch state {
        case .good: .init(state: .good)
        case .revoked(let at, let reason, let certificate): .init(state: .revoked, revokedAt: at, reason: reason, certificate: certificate)
        case .unknown: .init(state: .unknown)
        }
    }
}
