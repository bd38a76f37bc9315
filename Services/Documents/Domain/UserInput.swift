import Contracts
import Foundation
import VietnameseText

/// What an admin types for a user, checked and normalised: names in NFC, phone in E.164, roles and
/// permissions from the known lists. Every problem is reported at once, per field, in Vietnamese.
struct UserInput: Sendable, Equatable {
    var username: String?
    var fullName: String
    var unitId: UUID
    var position: String
    var roles: [Role]
    var permissions: [Permission]
    var phone: String?
    var email: String?

    struct Problem: Equatable {
        var field: String
        var message: String
    }

    /// Every problem of one input.
    struct Problems: Error, Equatable {
        var items: [Problem]
    }

    static func check(
        username: String?, fullName: String, unitId: UUID, position: String?, roles: [String], permissions: [String],
        phone: String?, email: String?
    ) -> Result<UserInput, Problems> {
        var problems: [Problem] = []
        let name = VietnameseText.clean(fullName)
        if name.isEmpty { problems.append(.init(field: "fullName", message: "Thiếu họ và tên.")) }
        var login: String?
        if let username = username?.trimmingCharacters(in: .whitespaces).lowercased(), !username.isEmpty {
            if Self.isValidUsername(username) {
                login = username
            } else {
                problems.append(
                    .init(field: "username", message: "Tên đăng nhập gồm 3–64 chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang."))
            }
        }
        let knownRoles = roles.compactMap(Role.init(rawValue:))
        if knownRoles.count != roles.count {
            let names = Role.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(.init(field: "roles", message: "Vai trò không hợp lệ; các vai trò là: \(names)."))
        } else if knownRoles.isEmpty {
            problems.append(.init(field: "roles", message: "Người dùng cần ít nhất một vai trò."))
        }
        let knownPermissions = permissions.compactMap(Permission.init(rawValue:))
        if knownPermissions.count != permissions.count {
            let names = Permission.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(.init(field: "permissions", message: "Quyền không hợp lệ; các quyền là: \(names)."))
        }
        var e164: String?
        if let phone = phone?.trimmingCharacters(in: .whitespaces), !phone.isEmpty {
            if let number = PhoneNumber(phone) {
                e164 = number.e164
            } else {
                problems.append(.init(field: "phone", message: "Số điện thoại không hợp lệ (ví dụ 0912 345 678)."))
            }
        }
        var mail: String?
        if let email = email?.trimmingCharacters(in: .whitespaces), !email.isEmpty {
            if Self.isPlausibleEmail(email) {
                mail = email.lowercased()
            } else {
                problems.append(.init(field: "email", message: "Địa chỉ thư điện tử không hợp lệ."))
            }
        }
        guard problems.isEmpty else { return .failure(Problems(items: problems)) }
        return .success(
            UserInput(
                username: login, fullName: name, unitId: unitId, position: VietnameseText.clean(position ?? ""),
                roles: Array(Set(knownRoles)).sorted { $0.rawValue < $1.rawValue },
                permissions: Array(Set(knownPermissions)).sorted { $0.rawValue < $1.rawValue }, phone: e164, email: mail))
    }

    static func isValidUsername(_ name: String) -> Bool {
        (3...64).contains(name.count) && name.first.map { $0.isASCII && ($0.isLetter || $0.isNumber) } == true
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
    }

    /// One `@`, something before it, a dot in the domain; the mail server has the last word.
    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: \.isWhitespace) else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty }
    }
}
