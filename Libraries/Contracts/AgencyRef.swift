import Foundation

/// Another agency, or ours: its identifier code (mã định danh) and name.
public struct AgencyRef: Codable, Sendable, Equatable {
    /// An opaque code of letters, digits and dots, e.g. `000.00.00.H10` or `H01.151`. Never parsed.
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    func violations(at field: String) -> [ContractViolation] {
        var found: [ContractViolation] = []
        if !AgencyCode.isValid(code) {
            found.append(.init(field: "\(field).code", message: "Mã định danh cơ quan \"\(code)\" không hợp lệ."))
        }
        if name.isBlank { found.append(.init(field: "\(field).name", message: "Thiếu tên cơ quan.")) }
        return found
    }
}

/// Agency identifier codes: checked only for shape (letters, digits, single dots), as codes change form.
public enum AgencyCode {
    public static func isValid(_ code: String) -> Bool {
        guard !code.isEmpty, code.count <= 64, !code.hasPrefix("."), !code.hasSuffix("."), !code.contains("..") else {
            return false
        }
        return code.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "." || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}

extension String {
    var isBlank: Bool { trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
}
