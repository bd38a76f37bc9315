/// A kind of document (loại văn bản) and the abbreviation its symbol carries (Decree 30/2020, Appendix III).
struct DocumentType: Equatable, Sendable {
    /// Tên loại, e.g. "Quyết định".
    var name: String
    /// Viết tắt, e.g. "QĐ"; nil for Công văn and Thư công, whose symbols carry no type part.
    var abbreviation: String?
    /// A copy form (bản sao) rather than an original document.
    var isCopy: Bool = false
}

/// The document types the catalog starts with, as Decree 30/2020 lists them; admins may add more.
enum DocumentTypeCatalog {
    static let decree30: [DocumentType] = [
        .init(name: "Nghị quyết", abbreviation: "NQ"),
        .init(name: "Quyết định", abbreviation: "QĐ"),
        .init(name: "Chỉ thị", abbreviation: "CT"),
        .init(name: "Quy chế", abbreviation: "QC"),
        .init(name: "Quy định", abbreviation: "QyĐ"),
        .init(name: "Thông cáo", abbreviation: "TC"),
        .init(name: "Thông báo", abbreviation: "TB"),
        .init(name: "Hướng dẫn", abbreviation: "HD"),
        .init(name: "Chương trình", abbreviation: "CTr"),
        .init(name: "Kế hoạch", abbreviation: "KH"),
        .init(name: "Phương án", abbreviation: "PA"),
        .init(name: "Đề án", abbreviation: "ĐA"),
        .init(name: "Dự án", abbreviation: "DA"),
        .init(name: "Báo cáo", abbreviation: "BC"),
        .init(name: "Biên bản", abbreviation: "BB"),
        .init(name: "Tờ trình", abbreviation: "TTr"),
        .init(name: "Hợp đồng", abbreviation: "HĐ"),
        .init(name: "Công điện", abbreviation: "CĐ"),
        .init(name: "Bản ghi nhớ", abbreviation: "BGN"),
        .init(name: "Bản thỏa thuận", abbreviation: "BTT"),
        .init(name: "Giấy ủy quyền", abbreviation: "GUQ"),
        .init(name: "Giấy mời", abbreviation: "GM"),
        .init(name: "Giấy giới thiệu", abbreviation: "GGT"),
        .init(name: "Giấy nghỉ phép", abbreviation: "GNP"),
        .init(name: "Phiếu gửi", abbreviation: "PG"),
        .init(name: "Phiếu chuyển", abbreviation: "PC"),
        .init(name: "Phiếu báo", abbreviation: "PB"),
        .init(name: "Công văn", abbreviation: nil),
        .init(name: "Thư công", abbreviation: nil),
        .init(name: "Bản sao y", abbreviation: "SY", isCopy: true),
        .init(name: "Bản trích sao", abbreviation: "TS", isCopy: true),
        .init(name: "Bản sao lục", abbreviation: "SL", isCopy: true),
    ]

    /// The type with this abbreviation.
    static func type(abbreviation: String) -> DocumentType? {
        decree30.first { $0.abbreviation == abbreviation }
    }
}
