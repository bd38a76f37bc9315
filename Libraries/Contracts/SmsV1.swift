import Foundation

/// `sms.v1`: one SMS for the gateway, on queue `notify.sms.outbound`.
public struct SmsV1: ContractMessage {
    public static let messageType = "sms.v1"
    public static let maximumLength = 160

    public var smsId: UUID
    /// E.164, e.g. `+84912345678`.
    public var to: String
    /// Printable ASCII only (Vietnamese without diacritics), at most 160 characters.
    public var text: String
    public var ttlSeconds: Int
    public var priority: Priority

    public enum Priority: String, Codable, Sendable, CaseIterable {
        case normal, high
    }

    public init(smsId: UUID, to: String, text: String, ttlSeconds: Int, priority: Priority = .normal) {
        self.smsId = smsId
        self.to = to
        self.text = text
        self.ttlSeconds = ttlSeconds
        self.priority = priority
    }

    public func violations(now: Date) -> [ContractViolation] {
        var found: [ContractViolation] = []
        if !Self.isE164(to) { found.append(.init(field: "to", message: "Số điện thoại \"\(to)\" không đúng dạng +84…")) }
        if text.isEmpty { found.append(.init(field: "text", message: "Tin nhắn trống.")) }
        if !text.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) {
            found.append(.init(field: "text", message: "Tin nhắn chỉ được chứa chữ không dấu (ASCII)."))
        }
        if text.unicodeScalars.count > Self.maximumLength {
            found.append(
                .init(field: "text", message: "Tin nhắn dài \(text.unicodeScalars.count) ký tự, vượt quá \(Self.maximumLength)."))
        }
        if ttlSeconds <= 0 { found.append(.init(field: "ttlSeconds", message: "Thời hạn gửi phải lớn hơn 0 giây.")) }
        return found
    }

    /// `+` then 8 to 15 digits, the first not 0.
    public static func isE164(_ number: String) -> Bool {
        let digits = number.dropFirst()
        return number.hasPrefix("+") && (8...15).contains(digits.count) && digits.first != "0"
            && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
