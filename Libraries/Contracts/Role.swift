/// The identity vocabulary every service shares: kept here, with the contracts, because tokens and
/// directory events carry these names.
/// What a person does in the office (PRODUCT.md "Who uses it"); a person may hold several roles.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Văn thư: registers incoming documents, numbers and issues outgoing ones.
    case clerk
    /// Chuyên viên: handles assigned documents, drafts outgoing ones.
    case specialist
    /// Lãnh đạo phòng / đơn vị: assigns work in the unit, reviews drafts.
    case unitLeader
    /// Thủ trưởng cơ quan: final approval, assigns incoming documents to units.
    case head
    /// Quản trị: users, units, catalogs, permissions.
    case admin

    /// The name a person reads on screen.
    public var vietnameseName: String {
        switch self {
        case .clerk: "Văn thư"
        case .specialist: "Chuyên viên"
        case .unitLeader: "Lãnh đạo đơn vị"
        case .head: "Thủ trưởng cơ quan"
        case .admin: "Quản trị"
        }
    }
}
