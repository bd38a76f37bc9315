/// What the usage log (nhật ký sử dụng) records. The raw values are what admins filter on.
enum UsageAction: String, Codable, Sendable, CaseIterable {
    case login
    case loginFailed
    case logout
    case passwordChanged
    case passwordReset
    case totpEnabled
    case totpDisabled
    case userCreated
    case userUpdated
    case permissionsChanged
    case unitCreated
    case unitUpdated
    case unitDeleted
    case catalogChanged
    case incomingRegistered
    case incomingAction
    case outgoingDrafted
    case outgoingAction
    case outgoingIssued
    case outgoingRecalled
    case signatureOverride

    var vietnameseName: String {
        switch self {
        case .login: "Đăng nhập"
        case .loginFailed: "Đăng nhập thất bại"
        case .logout: "Đăng xuất"
        case .passwordChanged: "Đổi mật khẩu"
        case .passwordReset: "Cấp lại mật khẩu"
        case .totpEnabled: "Bật mã xác thực"
        case .totpDisabled: "Tắt mã xác thực"
        case .userCreated: "Tạo người dùng"
        case .userUpdated: "Sửa người dùng"
        case .permissionsChanged: "Thay đổi phân quyền"
        case .unitCreated: "Tạo đơn vị"
        case .unitUpdated: "Sửa đơn vị"
        case .unitDeleted: "Xóa đơn vị"
        case .catalogChanged: "Sửa danh mục"
        case .incomingRegistered: "Vào sổ văn bản đến"
        case .incomingAction: "Xử lý văn bản đến"
        case .outgoingDrafted: "Tạo dự thảo văn bản đi"
        case .outgoingAction: "Xử lý văn bản đi"
        case .outgoingIssued: "Phát hành văn bản đi"
        case .outgoingRecalled: "Thu hồi văn bản đã phát hành"
        case .signatureOverride: "Phát hành khi chữ ký số chưa xác định"
        }
    }
}
