import Contracts
import Hummingbird

/// Why a request was not let through, as problem details a person can act on.
public enum AccessDenied {
    public static let notLoggedIn = ProblemDetails(
        type: "https://ioffice.example/problems/unauthenticated", title: "Chưa đăng nhập", status: .unauthorized,
        detail: "Bạn cần đăng nhập để dùng chức năng này.")

    public static let invalidToken = ProblemDetails(
        type: "https://ioffice.example/problems/invalid-token", title: "Phiên đăng nhập không hợp lệ", status: .unauthorized,
        detail: "Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.")

    public static let passwordChangeRequired = ProblemDetails(
        type: "https://ioffice.example/problems/password-change-required", title: "Cần đổi mật khẩu", status: .forbidden,
        detail: "Bạn phải đổi mật khẩu trước khi dùng hệ thống.")

    public static func missing(_ role: Role) -> ProblemDetails {
        ProblemDetails(
            type: "https://ioffice.example/problems/forbidden", title: "Không có quyền", status: .forbidden,
            detail: "Chức năng này dành cho vai trò \(role.vietnameseName).")
    }

    public static func missing(_ permission: Permission) -> ProblemDetails {
        ProblemDetails(
            type: "https://ioffice.example/problems/forbidden", title: "Không có quyền", status: .forbidden,
            detail: "Bạn chưa được cấp quyền \(permission.vietnameseName.lowercased()).")
    }
}
