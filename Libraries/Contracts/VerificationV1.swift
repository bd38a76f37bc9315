import Foundation

/// `verification.v1` on `ioffice.events`, routing key `signing.verified`: the verdict on a document's
/// signatures, overall and per signature.
public struct VerificationV1: ContractMessage {
    public static let messageType = "verification.v1"

    public var verificationId: UUID
    public var requestId: UUID
    public var result: Result
    public var signatures: [SignatureReport]

    public enum Result: String, Codable, Sendable, CaseIterable {
        case passed, indeterminate, failed
    }

    public init(verificationId: UUID, requestId: UUID, result: Result, signatures: [SignatureReport]) {
        self.verificationId = verificationId
        self.requestId = requestId
        self.result = result
        self.signatures = signatures
    }

    /// One signature's report.
    public struct SignatureReport: Codable, Sendable, Equatable {
        public var signerSubject: String
        public var serialNumber: String
        /// Subjects from the signer's certificate up to the trust anchor.
        public var chain: [String]
        public var coversWholeDocument: Bool
        /// `/ByteRange` pairs (offset, length) the signature covers, for PDFs.
        public var byteRanges: [[Int]]
        /// As the signer claims it (signed attribute), unless a timestamp token proves it.
        public var signingTime: Date?
        public var validAtSigningTime: Bool
        public var revocation: Revocation
        public var reasonCodes: [String]
        /// The verdict in one Vietnamese sentence, for a person.
        public var message: String
        /// When the chain and revocation were checked: the time of a verified signature timestamp, else
        /// the time of the check (added in 1.1; absent in older reports).
        public var validatedAt: Date?
        /// `timestamp` (an RFC 3161 token proves the signing time) or `current_time`.
        public var timeSource: TimeSource?
        /// The subject of the time-stamping authority, when `timeSource` is `timestamp`.
        public var timestampAuthority: String?

        public enum TimeSource: String, Codable, Sendable, CaseIterable {
            case timestamp
            case currentTime = "current_time"
        }

        public init(
            signerSubject: String, serialNumber: String, chain: [String], coversWholeDocument: Bool, byteRanges: [[Int]],
            signingTime: Date?, validAtSigningTime: Bool, revocation: Revocation, reasonCodes: [String], message: String,
            validatedAt: Date? = nil, timeSource: TimeSource? = nil, timestampAuthority: String? = nil
        ) {
            self.validatedAt = validatedAt
            self.timeSource = timeSource
            self.timestampAuthority = timestampAuthority
            self.signerSubject = signerSubject
            self.serialNumber = serialNumber
            self.chain = chain
            self.coversWholeDocument = coversWholeDocument
            self.byteRanges = byteRanges
            self.signingTime = signingTime
            self.validAtSigningTime = validAtSigningTime
            self.revocation = revocation
            self.reasonCodes = reasonCodes
            self.message = message
        }
    }

    /// Revocation of the chain's certificates below the anchor, from current CRLs.
    public struct Revocation: Codable, Sendable, Equatable {
        public var state: State
        public var revokedAt: Date?
        public var reason: String?
        /// Which certificate of the chain is revoked (the signer's or an intermediate's; added in 1.1).
        public var certificate: String?

        public enum State: String, Codable, Sendable, CaseIterable {
            case good, revoked, unknown
        }

        public init(state: State, revokedAt: Date? = nil, reason: String? = nil, certificate: String? = nil) {
            self.certificate = certificate
            self.state = state
            self.revokedAt = revokedAt
            self.reason = reason
        }
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found: [ContractViolation] = []
        if result == .passed, signatures.isEmpty {
            found.append(.init(field: "signatures", message: "Kết quả hợp lệ nhưng không có chữ ký nào."))
        }
        for (index, report) in signatures.enumerated() where report.message.isBlank {
            found.append(.init(field: "signatures[\(index)].message", message: "Thiếu diễn giải kết quả của chữ ký."))
        }
        return found
    }
}
