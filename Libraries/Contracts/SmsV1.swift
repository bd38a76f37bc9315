import Foundation

/// `sms.v1`: one SMS for the gateway, on queue `notify.sms.outbound`.
public struct SmsV1: ContractMessage {
    public static let messageType = "sms.v1"
    public static let maximumLength = 160

    public var smsId: UUID
    /// E.164, e.g. `+84912345678`.
    public var to: String
    /// Printable ASCII only (Vietnamese without diacritics) that GSM-7 can carry, never empty, and at
    /// most 160 GSM-7 units: one segment (`[]{}\~^|` take two units; the backtick is not GSM-7).
    public var text: String
    public var ttlSeconds: Int
    public var priority: Priority
    /// When the SMS is stale: the message's AMQP `expiration` matches it, so neither the broker nor the
    /// gateway delivers it later. Absent only in messages from before it was added.
    public var expiresAt: Date?

    public enum Priority: String, Codable, Sendable, CaseIterable {
        case normal, high
    }

    public init(smsId: UUID, to: String, text: String, ttlSeconds: Int, priority: Priority = .normal, expiresAt: Date? = nil) {
        self.smsId = smsId
        self.to = to
        self.text = text
        self.ttlSeconds = ttlSeconds
        self.priority = priority
        self.expiresAt = expiresAt
    }

    /// GSM 03.38 units of ASCII text: the extension table's characters take an escape and themselves.
    public static func gsm7Units(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (extensionCharacters.contains($1) ? 2 : 1) }
    }

    /// ASCII characters GSM-7 has only in its extension table.
    public static let extensionCharacters: Set<Unicode.Scalar> = ["[", "]", "{", "}", "\\", "~", "^", "|"]

    /// Whether GSM-7 can carry `scalar` at all (printable ASCII except the backtick).
    public static func isGSM7(_ scalar: Unicode.Scalar) -> Bool { (0x20...0x7E).contains(scalar.value) && scalar != "`" }

    public func violations(now: Date) -> [ContractViolation] {
        var found: [ContractViolation] = []
        if !Self.isE164(to) { found.append(.init(field: "to", message: "Số điện thoại \"\(to)\" không đúng dạng +84…")) }
        if text.trimmingCharacters(in: .whitespaces).isEmpty { found.append(.init(field: "text", message: "Tin nhắn trống.")) }
        if !text.unicodeScalars.allSatisfy(Self.isGSM7) {
            found.append(.init(field: "text", message: "Tin nhắn chỉ được chứa chữ không dấu (ASCII, bảng GSM-7)."))
        }
        let units = Self.gsm7Units(text)
        if units > Self.maximumLength {
            found.append(.init(field: "text", message: "Tin nhắn dài \(units) ký tự GSM-7, vượt quá \(Self.maximumLength)."))
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
