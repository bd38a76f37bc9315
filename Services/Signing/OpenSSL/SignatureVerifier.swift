import Contracts
import Foundation

/// Checks every signature of a document against the current trust and says what holds, per signature
/// and overall. Every input is hostile: anything unreadable is a `failed` report with its reason, never
/// a crash.
struct SignatureVerifier: Sendable {
    let trust: TrustStore

    static let supportedSubFilters: Set<String> = ["adbe.pkcs7.detached", "ETSI.CAdES.detached", "ETSI.RFC3161"]

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
            // Revocation data the file carries (DSS) joins the configured CRLs, each still checked.
            let current = current.adding(crls: found.embeddedCRLs, ocspResponses: found.embeddedOCSPResponses)
            let signatures = found.fields.map { ParsedCMS($0.contents) }
            let digests = SharedPrefixDigests.compute(found.fields, signatures: signatures, in: file)
            func ranges(_ field: PDFSignatureField) -> [Range<Int>] {
                let r = field.byteRange
                return [r[0]..<r[0] + r[1], r[2]..<r[2] + r[3]]
            }
            // Document timestamps first: a valid one proves the time of the signatures it covers.
            let timestamps = found.fields.indices.filter { found.fields[$0].isTimestamp }.map { index in
                (index, CMSCheck.verifyDocumentTimestamp(token: found.fields[index].contents, in: file, ranges: ranges(found.fields[index]), trust: current))
            }
            var findings = found.fields.indices.flatMap { index -> [SignatureFinding] in
                let field = found.fields[index]
                let checked: [SignatureFinding]
                if let timestamp = timestamps.first(where: { $0.0 == index }) {
                    checked = [timestamp.1]
                } else {
                    // The earliest valid document timestamp whose revision contains this signature.
                    let proof = timestamps.filter { found.fields[$0.0].signedEnd > field.signedEnd }.compactMap { CMSCheck.proof(from: $0.1) }
                        .min { $0.time < $1.time }
                    checked = CMSCheck.verify(
                        signature: field.contents, in: file, ranges: ranges(field), parsed: signatures[index], digest: digests[index],
                        claimedTime: field.claimedTime, proof: proof, trust: current)
                }
                return checked.map { signer in
                    var finding = signer
                    let r = field.byteRange
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
