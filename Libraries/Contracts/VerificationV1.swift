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

        public init(
            signerSubject: String, serialNumber: String, chain: [String], coversWholeDocument: Bool, byteRanges: [[Int]],
            signingTime: Date?, validAtSigningTime: Bool, revocation: Revocation, reasonCodes: [String], message: String
        ) {
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

    /// Revocation of the signer's certificate, from the configured CRLs.
    public struct Revocation: Codable, Sendable, Equatable {
        public var state: State
        public var revokedAt: Date?
        public var reason: String?

        public enum State: String, Codable, Sendable, CaseIterable {
            case good, revoked, unknown
        }

        public init(state: State, revokedAt: Date? = nil, reason: String? = nil) {
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
