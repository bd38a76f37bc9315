import Contracts
import Foundation

/// For every message type: a sample with every field set, and one with only the required ones.
enum Samples {
    static let sender = AgencyRef(code: "000.00.00.H10", name: "Liên đoàn Lao động tỉnh Cao Bằng")
    static let recipient = AgencyRef(code: "H01.151", name: "Công đoàn ngành Giáo dục")
    static let at = Date(timeIntervalSince1970: 1_764_000_000)
    static let pdf = Array("%PDF-1.4 công văn 399".utf8)

    static func document(dueDate: CalendarDate? = CalendarDate("2019-08-30"), inReplyTo: UUID? = UUID()) -> DocumentV1 {
        DocumentV1(
            documentId: UUID(), from: sender, to: [recipient], number: 399, notation: "LĐLĐ-VP",
            issuedAt: CalendarDate("2019-07-26")!, issuedPlace: "Cao Bằng", documentType: "CV",
            subject: "V/v triển khai phần mềm quản lý văn bản và điều hành",
            signer: .init(name: "Trần Công Huân", position: "Phó Chủ tịch"), urgency: .urgent, secrecy: "none",
            paperCopyFollows: false, dueDate: dueDate, inReplyTo: inReplyTo,
            attachments: [.init(name: "cv399.pdf", contentType: "application/pdf", bytes: pdf)])
    }

    static let verificationReport = VerificationV1.SignatureReport(
        signerSubject: "CN=Trần Công Huân", serialNumber: "0a1b", chain: ["CN=Trần Công Huân", "CN=Root CA"],
        coversWholeDocument: true, byteRanges: [[0, 100], [200, 50]], signingTime: at, validAtSigningTime: true,
        revocation: .init(state: .revoked, revokedAt: at, reason: "keyCompromise", certificate: "CN=Trần Công Huân"), reasonCodes: ["revoked"],
        message: "Chữ ký hợp lệ.", validatedAt: at, timeSource: .timestamp, timestampAuthority: "CN=TSA")

    static let minimalReport = VerificationV1.SignatureReport(
        signerSubject: "CN=A", serialNumber: "01", chain: [], coversWholeDocument: false, byteRanges: [],
        signingTime: nil, validAtSigningTime: false, revocation: .init(state: .unknown), reasonCodes: [],
        message: "Không xác định.")

    /// (full, minimal) per type, keyed by wire name.
    static let all: [String: (full: any ContractMessage, minimal: any ContractMessage)] = [
        DocumentV1.messageType: (document(), document(dueDate: nil, inReplyTo: nil)),
        StatusV1.messageType: (
            StatusV1(documentId: UUID(), from: recipient, to: sender, status: .rejected, at: at, note: "Sai nơi nhận."),
            StatusV1(documentId: UUID(), from: recipient, to: sender, status: .received, at: at)
        ),
        RecallV1.messageType: (
            RecallV1(documentId: UUID(), from: sender, to: recipient, at: at, reason: "Gửi nhầm."),
            RecallV1(documentId: UUID(), from: sender, to: recipient, at: at, reason: "Gửi nhầm.")
        ),
        SmsV1.messageType: (
            SmsV1(smsId: UUID(), to: "+84912345678", text: "Hop luc 8h", ttlSeconds: 3600, priority: .high, expiresAt: at),
            SmsV1(smsId: UUID(), to: "+84912345678", text: "Hop luc 8h", ttlSeconds: 3600)
        ),
        SmsReportV1.messageType: (
            SmsReportV1(smsId: UUID(), state: .failed, at: at, error: "absent subscriber"),
            SmsReportV1(smsId: UUID(), state: .delivered, at: at)
        ),
        VerifyRequestV1.messageType: (
            VerifyRequestV1(
                requestId: UUID(), document: .init(sha256: String(repeating: "a", count: 64), data: "JVBERg==", ref: "file:1"),
                signature: "MIIB"),
            VerifyRequestV1(requestId: UUID(), document: .init(sha256: String(repeating: "a", count: 64)))
        ),
        VerificationV1.messageType: (
            VerificationV1(verificationId: UUID(), requestId: UUID(), result: .failed, signatures: [verificationReport]),
            VerificationV1(verificationId: UUID(), requestId: UUID(), result: .indeterminate, signatures: [minimalReport])
        ),
        NotificationRequestV1.messageType: (
            NotificationRequestV1(
                requestId: UUID(), recipients: [UUID()], channels: [.inApp, .sms], title: "Giấy mời họp", body: "Họp giao ban",
                link: "/lich/cuoc-hop/1", sender: UUID()),
            NotificationRequestV1(requestId: UUID(), recipients: [UUID()], channels: [.inApp], title: "Tin mới", body: "")
        ),
        DirectoryUserV1.messageType: (
            DirectoryUserV1(
                userId: UUID(), username: "hoangthihuynh.vp", fullName: "Hoàng Thị Huỳnh", unitId: UUID(), position: "Chuyên viên",
                phone: "+84912345678", email: "huynh@example.vn", roles: ["specialist"], permissions: ["sms.send"], active: true,
                version: 3),
            DirectoryUserV1(
                userId: UUID(), username: "a.vp", fullName: "A", unitId: UUID(), position: "", phone: nil, email: nil, roles: [],
                permissions: [], active: false, version: 1)
        ),
        DirectoryUnitV1.messageType: (
            DirectoryUnitV1(
                unitId: UUID(), parentId: UUID(), code: "VP", name: "Văn phòng", abbreviation: "VP", leaderIds: [UUID()],
                deleted: false, version: 2),
            DirectoryUnitV1(
                unitId: UUID(), parentId: nil, code: "LDLD", name: "Liên đoàn", abbreviation: "LĐLĐ", leaderIds: [], deleted: true,
                version: 1)
        ),
    ]

    /// JSON object of a message, as the wire carries it.
    static func json(_ message: any ContractMessage) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(message.encoded()))
    }
}
