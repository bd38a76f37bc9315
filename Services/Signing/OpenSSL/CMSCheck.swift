import COpenSSL
import Foundation

/// A detached CMS signature checked with OpenSSL: every signer's signature, then its certificate (key
/// purposes, the chain to a trust anchor and the revocation of every certificate below it) at the time
/// of a verified signature timestamp, or else now. One finding per signer.
enum CMSCheck {
    static func verify(signature: [UInt8], content: [UInt8], trust: Trust) -> [SignatureFinding] {
        verify(signature: signature, in: content, ranges: [0..<content.count], trust: trust)
    }

    /// A PDF document timestamp: the token, its authority, and its imprint over the signed ranges; its
    /// `signingTime` is the token's time, `timestampAuthority` the authority.
    static func verifyDocumentTimestamp(token: [UInt8], in file: [UInt8], ranges: [Range<Int>], trust: Trust) -> SignatureFinding {
        var report = ioffice_signer_report()
        defer { ioffice_signer_report_free(&report) }
        withParts(token, of: file, ranges) { cms, cmsCount, first, firstCount, second, secondCount in
            ioffice_verify_document_timestamp(cms, cmsCount, first, firstCount, second, secondCount, trust.handle, &report)
        }
        return finding(from: report, claimedTime: nil)
    }

    /// `cms` and the (one or two) `ranges` of `file` as the C layer takes them, read in place.
    static func withParts(
        _ cms: [UInt8], of file: [UInt8], _ ranges: [Range<Int>],
        _ body: (UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt8>?, Int) -> Void
    ) {
        let first = ranges.first ?? 0..<0
        let second = ranges.count > 1 ? ranges[1] : 0..<0
        cms.withUnsafeBufferPointer { cms in
            file.withUnsafeBufferPointer { data in
                let base = data.baseAddress
                body(cms.baseAddress, cms.count, base.map { $0 + first.lowerBound }, first.count, base.map { $0 + second.lowerBound }, second.count)
            }
        }
    }

    /// The time a valid document timestamp proves, for the signatures it covers.
    static func proof(from timestamp: SignatureFinding) -> TimeProof? {
        guard timestamp.weight == .note, let time = timestamp.signingTime, let authority = timestamp.timestampAuthority else { return nil }
        return TimeProof(time: Int(time.timeIntervalSince1970), authority: authority)
    }

    /// Over the bytes of `file` in `ranges` (one or two), read in place; with the `parsed` signature and
    /// its `digest` when the caller already hashed those bytes. `claimedTime` is the signing time the
    /// container claims (a PDF's `/M`), used where the CMS has no signingTime attribute.
    static func verify(
        signature: [UInt8], in file: [UInt8], ranges: [Range<Int>], parsed: ParsedCMS? = nil, digest: SharedPrefixDigests.Digest? = nil,
        claimedTime: Int? = nil, proof: TimeProof? = nil, trust: Trust
    ) -> [SignatureFinding] {
        var report = ioffice_cms_report()
        defer { ioffice_cms_report_free(&report) }
        if let parsed, let digest {
            digest.value.withUnsafeBufferPointer { value in
                ioffice_verify_cms_digest(
                    parsed.handle, digest.algorithm, value.baseAddress, value.count, trust.handle, Int64(proof?.time ?? 0), &report)
            }
            guard Int32(report.status) == Int32(IOFFICE_CMS_NEEDS_CONTENT) else { return findings(from: report, claimedTime: claimedTime, proof: proof) }
            ioffice_cms_report_free(&report)
        }
        withParts(signature, of: file, ranges) { cms, cmsCount, first, firstCount, second, secondCount in
            ioffice_verify_detached_parts(cms, cmsCount, first, firstCount, second, secondCount, trust.handle, Int64(proof?.time ?? 0), &report)
        }
        return findings(from: report, claimedTime: claimedTime, proof: proof)
    }

    /// A later document timestamp over a signature: the time it proves the signature existed by.
    struct TimeProof: Sendable {
        var time: Int
        var authority: String
    }

    static func findings(from report: ioffice_cms_report, claimedTime: Int?, proof: TimeProof?) -> [SignatureFinding] {
        guard Int32(report.status) == Int32(IOFFICE_CMS_OK), report.count > 0, let signers = report.signers else {
            return [SignatureFinding(reasons: [.malformed])]
        }
        return (0..<Int(report.count)).map { finding(from: signers[$0], claimedTime: claimedTime, proof: proof) }
    }

    static func finding(from report: ioffice_signer_report, claimedTime: Int?, proof: TimeProof? = nil) -> SignatureFinding {
        var finding = SignatureFinding()
        finding.signerSubject = report.subject.map { String(cString: $0) } ?? ""
        finding.serialNumber = report.serial.map { String(cString: $0) } ?? ""
        finding.chain = (0..<Int(report.chain_count)).compactMap { report.chain[$0].map { String(cString: $0) } }
        switch Int32(report.status) {
        case Int32(IOFFICE_CMS_OK): break
        case Int32(IOFFICE_CMS_DIGEST_MISMATCH): finding.reasons.append(.digestMismatch)
        case Int32(IOFFICE_CMS_BAD_SIGNATURE): finding.reasons.append(.badSignature)
        case Int32(IOFFICE_CMS_NO_SIGNER):
            finding.reasons.append(.noSignerCertificate)
            return finding
        default:
            finding.reasons.append(.malformed)
            return finding
        }
        let ownTimestamp = Int32(report.timestamp) == Int32(IOFFICE_TIMESTAMP_VALID)
        let proven = !ownTimestamp && proof.map { Int64($0.time) == report.validated_at } == true
        let timestamped = ownTimestamp || proven
        let claimed = report.has_signing_time != 0 ? Int(report.signing_time) : claimedTime
        finding.validatedAt = Date(timeIntervalSince1970: TimeInterval(report.validated_at))
        if proven { finding.timestampAuthority = proof?.authority }
        if ownTimestamp {
            finding.signingTime = Date(timeIntervalSince1970: TimeInterval(report.timestamp_time))
            finding.timestampAuthority = report.timestamp_authority.map { String(cString: $0) }
        } else if let claimed {
            finding.signingTime = Date(timeIntervalSince1970: TimeInterval(claimed))
            finding.reasons.append(.signingTimeClaimed)
        } else {
            finding.reasons.append(.signingTimeMissing)
        }
        if Int32(report.timestamp) == Int32(IOFFICE_TIMESTAMP_INVALID) { finding.reasons.append(.timestampInvalid) }
        if report.key_usage_ok == 0 { finding.reasons.append(.keyUsage) }
        if report.extended_key_usage_ok == 0 { finding.reasons.append(.extendedKeyUsage) }
        finding.validAtSigningTime = report.chain_ok != 0
        if report.chain_ok == 0 { finding.reasons.append(chainReason(report.chain_error, timestamped: timestamped)) }
        switch Int32(report.revocation) {
        case Int32(IOFFICE_REVOCATION_GOOD):
            finding.revocation = .good
        case Int32(IOFFICE_REVOCATION_REVOKED):
            let at = Date(timeIntervalSince1970: TimeInterval(report.revoked_at))
            finding.revocation = .revoked(
                at: at, reason: CRLReason.name(Int(report.revoked_reason)), certificate: report.revoked_subject.map { String(cString: $0) })
            // Revoked after a proven time: the signature was made while the certificate held.
            if timestamped, let validated = finding.validatedAt, at > validated {
            } else if !timestamped, let signed = finding.signingTime, at > signed {
                finding.reasons.append(.revokedAfterSigning)
            } else {
                finding.reasons.append(.revoked)
            }
        default:
            finding.revocation = .unknown
            finding.reasons.append(report.revocation_stale != 0 ? .revocationStale : .noRevocationData)
        }
        return finding
    }

    static func chainReason(_ error: Int32, timestamped: Bool) -> ReasonCode {
        switch error {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
            X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            .untrustedRoot
        case X509_V_ERR_CERT_HAS_EXPIRED: timestamped ? .expiredAtSigning : .expired
        case X509_V_ERR_CERT_NOT_YET_VALID: .expiredAtSigning
        default: .chainInvalid
        }
    }
}
