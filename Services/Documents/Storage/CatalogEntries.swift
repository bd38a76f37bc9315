import Foundation
import PostgresNIO
import ServiceKit
import VietnameseText

/// Loại văn bản: name and the abbreviation that document symbols carry (Decree 30/2020).
struct DocumentTypeEntry: CatalogEntry {
    static let path = "document-types"
    static let table = "document_types"
    static let columns = ["name", "abbreviation", "is_copy", "active"]
    static let orderBy = "is_copy, name"
    static let label = "loại văn bản"

    var id: UUID
    var name: String
    var abbreviation: String?
    var isCopy: Bool
    var active: Bool

    init(row r: PostgresRandomAccessRow) throws {
        id = try r["id"].decode(UUID.self)
        name = try r["name"].decode(String.self)
        abbreviation = try r["abbreviation"].decode(String?.self)
        isCopy = try r["is_copy"].decode(Bool.self)
        active = try r["active"].decode(Bool.self)
    }

    func values() throws -> PostgresBindings {
        var binds = PostgresBindings()
        try binds.encode(name)
        try binds.encode(abbreviation)
        try binds.encode(isCopy)
        try binds.encode(active)
        return binds
    }

    func normalized() -> Result<Self, CatalogInvalid> {
        var entry = self
        entry.name = VietnameseText.clean(name)
        entry.abbreviation = abbreviation.map(VietnameseText.clean).flatMap { $0.isEmpty ? nil : $0 }
        var errors = CatalogRules.required(entry.name, field: "name", "Thiếu tên loại văn bản.")
        if let abbreviation = entry.abbreviation, abbreviation.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "-" }) {
            errors.append(.init(field: "abbreviation", message: "Chữ viết tắt không được chứa khoảng trắng, “/” hoặc “-”."))
        }
        return errors.isEmpty ? .success(entry) : .failure(CatalogInvalid(errors: errors))
    }
}

/// Sổ văn bản: an incoming or outgoing register, numbered per calendar year; optionally a unit's own.
struct RegisterEntry: CatalogEntry {
    static let path = "registers"
    static let table = "registers"
    static let columns = ["kind", "code", "name", "unit_id", "active"]
    static let orderBy = "kind, name"
    static let label = "sổ văn bản"

    enum Kind: String, Codable, Sendable { case incoming, outgoing }

    var id: UUID
    var kind: Kind
    var code: String
    var name: String
    var unitId: UUID?
    var active: Bool

    init(row r: PostgresRandomAccessRow) throws {
        id = try r["id"].decode(UUID.self)
        kind = Kind(rawValue: try r["kind"].decode(String.self)) ?? .incoming
        code = try r["code"].decode(String.self)
        name = try r["name"].decode(String.self)
        unitId = try r["unit_id"].decode(UUID?.self)
        active = try r["active"].decode(Bool.self)
    }

    func values() throws -> PostgresBindings {
        var binds = PostgresBindings()
        try binds.encode(kind.rawValue)
        try binds.encode(code)
        try binds.encode(name)
        try binds.encode(unitId)
        try binds.encode(active)
        return binds
    }

    func normalized() -> Result<Self, CatalogInvalid> {
        var entry = self
        entry.code = VietnameseText.clean(code)
        entry.name = VietnameseText.clean(name)
        let errors =
            CatalogRules.required(entry.code, field: "code", "Thiếu mã sổ.")
            + CatalogRules.required(entry.name, field: "name", "Thiếu tên sổ văn bản.")
        return errors.isEmpty ? .success(entry) : .failure(CatalogInvalid(errors: errors))
    }
}

/// Nơi gửi/nhận: another agency we exchange documents with, by its identifier code (mã định danh).
/// Its broker user (made by `deploy/add-partner agency <code>`) carries the same code.
struct AgencyEntry: CatalogEntry {
    static let path = "agencies"
    static let table = "agencies"
    static let columns = ["code", "name", "search_key", "active"]
    static let orderBy = "name"
    static let label = "cơ quan"

    var id: UUID
    var code: String
    var name: String
    var active: Bool

    init(row r: PostgresRandomAccessRow) throws {
        id = try r["id"].decode(UUID.self)
        code = try r["code"].decode(String.self)
        name = try r["name"].decode(String.self)
        active = try r["active"].decode(Bool.self)
    }

    func values() throws -> PostgresBindings {
        var binds = PostgresBindings()
        try binds.encode(code)
        try binds.encode(name)
        try binds.encode(VietnameseText.searchKey(name))
        try binds.encode(active)
        return binds
    }

    func normalized() -> Result<Self, CatalogInvalid> {
        var entry = self
        entry.code = code.trimmingCharacters(in: .whitespaces)
        entry.name = VietnameseText.clean(name)
        var errors = CatalogRules.required(entry.name, field: "name", "Thiếu tên cơ quan.")
        let parts = entry.code.split(separator: ".", omittingEmptySubsequences: false)
        if entry.code.isEmpty || entry.code.count > 64 || parts.contains(where: { $0.isEmpty || !$0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) {
            errors.append(.init(field: "code", message: "Mã định danh gồm chữ, số và dấu chấm, ví dụ 000.00.00.H10."))
        }
        return errors.isEmpty ? .success(entry) : .failure(CatalogInvalid(errors: errors))
    }
}

/// Phường/xã, within a district.
struct WardEntry: CatalogEntry {
    static let path = "wards"
    static let table = "wards"
    static let columns = ["code", "name", "district_id"]
    static let orderBy = "name"
    static let label = "phường/xã"

    var id: UUID
    var code: String
    var name: String
    var districtId: UUID

    init(row r: PostgresRandomAccessRow) throws {
        id = try r["id"].decode(UUID.self)
        code = try r["code"].decode(String.self)
        name = try r["name"].decode(String.self)
        districtId = try r["district_id"].decode(UUID.self)
    }

    func values() throws -> PostgresBindings {
        var binds = PostgresBindings()
        try binds.encode(code)
        try binds.encode(name)
        try binds.encode(districtId)
        return binds
    }

    func normalized() -> Result<Self, CatalogInvalid> {
        var entry = self
        entry.code = VietnameseText.clean(code)
        entry.name = VietnameseText.clean(name)
        let errors =
            CatalogRules.required(entry.code, field: "code", "Thiếu mã phường/xã.")
            + CatalogRules.required(entry.name, field: "name", "Thiếu tên phường/xã.")
        return errors.isEmpty ? .success(entry) : .failure(CatalogInvalid(errors: errors))
    }
}

/// Lĩnh vực: the subject areas documents are filed under.
typealias DocumentFieldEntry = CodeNameEntry<DocumentFields>
/// Quận/huyện.
typealias DistrictEntry = CodeNameEntry<Districts>

enum DocumentFields: CodeNameCatalog {
    static let path = "document-fields"
    static let table = "document_fields"
    static let label = "lĩnh vực"
    static let hasActive = true
}

enum Districts: CodeNameCatalog {
    static let path = "districts"
    static let table = "districts"
    static let label = "quận/huyện"
    static let hasActive = false
}

/// A catalog whose entries are a code and a name (and for some, whether still in use).
protocol CodeNameCatalog: Sendable {
    static var path: String { get }
    static var table: String { get }
    static var label: String { get }
    static var hasActive: Bool { get }
}

/// An entry of a code-and-name catalog.
struct CodeNameEntry<Kind: CodeNameCatalog>: CatalogEntry {
    static var path: String { Kind.path }
    static var table: String { Kind.table }
    static var columns: [String] { Kind.hasActive ? ["code", "name", "active"] : ["code", "name"] }
    static var orderBy: String { "name" }
    static var label: String { Kind.label }

    var id: UUID
    var code: String
    var name: String
    /// Only for catalogs that keep retired entries (lĩnh vực); absent elsewhere.
    var active: Bool?

    init(row r: PostgresRandomAccessRow) throws {
        id = try r["id"].decode(UUID.self)
        code = try r["code"].decode(String.self)
        name = try r["name"].decode(String.self)
        active = Kind.hasActive ? try r["active"].decode(Bool.self) : nil
    }

    func values() throws -> PostgresBindings {
        var binds = PostgresBindings()
        try binds.encode(code)
        try binds.encode(name)
        if Kind.hasActive { try binds.encode(active ?? true) }
        return binds
    }

    func normalized() -> Result<Self, CatalogInvalid> {
        var entry = self
        entry.code = VietnameseText.clean(code)
        entry.name = VietnameseText.clean(name)
        if Kind.hasActive { entry.active = active ?? true }
        let errors =
            CatalogRules.required(entry.code, field: "code", "Thiếu mã \(Kind.label).")
            + CatalogRules.required(entry.name, field: "name", "Thiếu tên \(Kind.label).")
        return errors.isEmpty ? .success(entry) : .failure(CatalogInvalid(errors: errors))
    }
}

enum CatalogRules {
    static func required(_ value: String, field: String, _ message: String) -> [ProblemDetails.FieldError] {
        value.isEmpty ? [.init(field: field, message: message)] : []
    }
}
