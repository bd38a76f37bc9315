import Foundation

/// A message of the contracts (shared/CONTRACTS.md): a plain value with its wire name and version.
/// Behaviour is limited to validation, whose findings are written for a person to read (they become
/// the Vietnamese `note` of a rejection sent back to another agency).
public protocol ContractMessage: Codable, Sendable, Equatable {
    /// The AMQP `type` property, e.g. `document.v1`.
    static var messageType: String { get }
    /// Everything wrong with the message, judged at `now`; empty when valid.
    func violations(now: Date) -> [ContractViolation]
}

extension ContractMessage {
    /// Throws every violation at once, so a sender learns all of them in one rejection.
    public func validate(now: Date = Date()) throws(ContractViolations) {
        let found = violations(now: now)
        if !found.isEmpty { throw ContractViolations(found) }
    }

    /// Decodes a message body; a body that is not this message is a violation, not a crash.
    public static func decode(_ body: some Collection<UInt8>) throws(ContractViolations) -> Self {
        do {
            return try ContractCoding.decoder.decode(Self.self, from: Data(body))
        } catch {
            throw ContractViolations([
                ContractViolation(
                    field: ContractViolation.path(of: error),
                    message: "Nội dung không đúng định dạng \(messageType) (\(ContractViolation.reason(of: error))).")
            ])
        }
    }

    public func encoded() throws -> [UInt8] {
        Array(try ContractCoding.encoder.encode(self))
    }
}

/// One thing wrong with a message: where, and why in Vietnamese.
public struct ContractViolation: Sendable, Equatable, CustomStringConvertible {
    /// A JSON path such as `attachments[0].sha256`.
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }

    static func path(of error: any Error) -> String {
        guard let error = error as? DecodingError else { return "" }
        let context: DecodingError.Context? =
            switch error {
            case .keyNotFound(let key, let context): .init(codingPath: context.codingPath + [key], debugDescription: "")
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): context
            @unknown default: nil
            }
        return context.map { ContractViolation.render($0.codingPath) } ?? ""
    }

    static func reason(of error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound: "thiếu trường bắt buộc"
        case .typeMismatch, .valueNotFound: "sai kiểu dữ liệu"
        case .dataCorrupted: "dữ liệu không đọc được"
        default: "không phải JSON hợp lệ"
        }
    }

    static func render(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { result, key in
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
    }
}

/// The violations of one message, as an error.
public struct ContractViolations: Error, Sendable, Equatable, CustomStringConvertible {
    public var violations: [ContractViolation]
    public init(_ violations: [ContractViolation]) { self.violations = violations }

    /// One Vietnamese sentence per violation, for the person who reads the rejection.
    public var description: String { violations.map(\.message).joined(separator: " ") }
}
