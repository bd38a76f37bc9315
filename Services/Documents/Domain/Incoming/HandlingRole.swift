/// How a person receives an incoming document (seed §2): the one who handles it, those who help, those
/// who only read it.
enum HandlingRole: String, Codable, Sendable, CaseIterable {
    /// Xử lý chính: exactly one per forward; may forward further or finish.
    case main
    /// Phối hợp: contributes, then marks their part done.
    case co
    /// Xem để biết: reads it.
    case info

    var vietnameseName: String {
        switch self {
        case .main: "xử lý chính"
        case .co: "phối hợp"
        case .info: "xem để biết"
        }
    }
}
