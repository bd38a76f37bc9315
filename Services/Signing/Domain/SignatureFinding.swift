import Foundation

/// What was found about one signature, before it becomes a report line.
struct SignatureFinding: Equatable, Sendable {
    var signerSubject = ""
    var serialNumber = ""
    var chain: [String] = []
    var coversWholeDocument = true
    var byteRanges: [[Int]] = []
    var signingTime: Date?
    var validAtSigningTime = false
    var revocation = Revocation.unknown
    var reasons: [ReasonCode] = []
    /// When the chain and revocation were checked: a verified timestamp's time, else the check's.
    var validatedAt: Date?
    /// The time-stamping authority whose token proves `signingTime`; nil when the time is claimed.
    var timestampAuthority: String?
    /// What later revisions changed that signing does not allow (for a PDF), for the log and the report.
    var laterChanges: [String] = []

    enum Revocation: Equatable, Sendable {
        case good
        case revoked(at: Date, reason: String?, certificate: String? = nil)
        case unknown
    }

    /// The heaviest weight among the reasons.
    var weight: ReasonCode.Weight { reasons.map(\.weight).max() ?? .note }

    /// One sentence for a person: the worst problem, or that it holds.
    var message: String {
        if let worst = reasons.filter({ $0.weight > .note }).max(by: { $0.weight < $1.weight }) {
            guard worst == .modifiedAfterSigning, !laterChanges.isEmpty else { return worst.vietnamese }
            return worst.vietnamese + " Thay đổi: " + laterChanges.prefix(5).joined(separator: "; ") + "."
        }
        let name = signerSubject.split(separator: ",").first { $0.hasPrefix("CN=") }.map { String($0.dropFirst(3)) } ?? signerSubject
        let when = timestampAuthority == nil ? "tại thời điểm kiểm tra" : "tại thời điểm ký đã được chứng thực bằng dấu thời gian"
        return "Chữ ký của \(name) hợp lệ: chứng thư tin cậy, còn hiệu lực và chưa bị thu hồi \(when)"
            + (coversWholeDocument ? ", bao trùm toàn bộ tài liệu." : "; các thay đổi sau đó chỉ thêm chữ ký hoặc điền biểu mẫu.")
    }
}

/// The overall result (passed, indeterminate, failed) from the signatures' findings.
enum Verdict: String, Sendable {
    case passed, indeterminate, failed

    static func of(_ findings: [SignatureFinding]) -> Verdict {
        guard !findings.isEmpty else { return .failed }
        switch findings.map(\.weight).max() ?? .note {
        case .failed: return .failed
        case .indeterminate: return .indeterminate
        case .note: return .passed
        }
    }
}
