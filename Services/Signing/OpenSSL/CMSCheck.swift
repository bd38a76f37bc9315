import COpenSSL
import Foundation

/// A detached CMS signature checked with OpenSSL: the signature, then the signer's certificate
/// (chain to a trust anchor at the claimed signing time, key usage, revocation).
enum CMSCheck {
    static func verify(signature: [UInt8], content: [UInt8], trust: Trust) -> SignatureFinding {
        verify(signature: signature, in: content, ranges: [0..<content.count], trust: trust)
    }

    /// Over the bytes of `file` in `ranges` (one or two), read in place; with the `parsed` signature and
    /// its `digest` when the caller already hashed those bytes.
    static func verify(
        signature: [UInt8], in file: [UInt8], ranges: [Range<Int>], parsed: ParsedCMS? = nil, digest: SharedPrefixDigests.Digest? = nil,
        trust: Trust
    ) -> SignatureFinding {
        var report = ioffice_signer_report()
        defer { ioffice_signer_report_free(&report) }
        if let parsed, let digest {
            digest.value.withUnsafeBufferPointer { value in
                ioffice_verify_cms_digest(parsed.handle, digest.algorithm, value.baseAddress, value.count, trust.handle, &report)
            }
            guard Int32(report.status) == Int32(IOFFICE_CMS_NEEDS_CONTENT) else { return finding(from: report) }
            ioffice_signer_report_free(&report)
        }
        let first = ranges.first ?? 0..<0
        let second = ranges.count > 1 ? ranges[1] : 0..<0
        signature.withUnsafeBufferPointer { cms in
            file.withUnsafeBufferPointer { data in
                let base = data.baseAddress
                ioffice_verify_detached_parts(
                    cms.baseAddress, cms.count, base.map { $0 + first.lowerBound }, first.count, base.map { $0 + second.lowerBound },
                    second.count, trust.handle, &report)
            }
        }
        return finding(from: report)
    }

    static func finding(from report: ioffice_signer_report) -> SignatureFinding {
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
        if report.has_signing_time != 0 {
            finding.signingTime = Date(timeIntervalSince1970: TimeInterval(report.signing_time))
            finding.reasons.append(.signingTimeClaimed)
        } else {
            finding.reasons.append(.signingTimeMissing)
        }
        if report.key_usage_ok == 0 { finding.reasons.append(.keyUsage) }
        finding.validAtSigningTime = report.chain_ok != 0
        if report.chain_ok == 0 { finding.reasons.append(chainReason(report.chain_error)) }
        switch Int32(report.revocation) {
        case Int32(IOFFICE_REVOCATION_GOOD):
            finding.revocation = .good
        case Int32(IOFFICE_REVOCATION_REVOKED):
            let at = Date(timeIntervalSince1970: TimeInterval(report.revoked_at))
            finding.revocation = .revoked(at: at, reason: CRLReason.name(Int(report.revoked_reason)))
            if let signed = finding.signingTime, at > signed {
                finding.reasons.append(.revokedAfterSigning)
            } else {
                finding.reasons.append(.revoked)
            }
        default:
            finding.revocation = .unknown
            finding.reasons.append(.noRevocationData)
        }
        return finding
    }

    static func chainReason(_ error: Int32) -> ReasonCode {
        switch error {
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
            X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            .untrustedRoot
        case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID: .expiredAtSigning
        default: .chainInvalid
        }
    }
}
