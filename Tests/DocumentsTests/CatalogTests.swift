import Contracts
import ServiceKit
import Testing

@testable import Documents

@Suite("Catalog of document types and the roles", .timeLimit(.minutes(1)))
struct CatalogTests {
    @Test func decree30ListsEveryTypeOnce() {
        let names = DocumentTypeCatalog.decree30.map(\.name)
        #expect(names.count == 32)
        #expect(Set(names).count == names.count)
        let abbreviations = DocumentTypeCatalog.decree30.compactMap(\.abbreviation)
        #expect(Set(abbreviations).count == abbreviations.count)
    }

    @Test func officialLettersCarryNoTypeAbbreviation() {
        let untyped = DocumentTypeCatalog.decree30.filter { $0.abbreviation == nil }.map(\.name)
        #expect(untyped == ["Công văn", "Thư công"])
    }

    @Test(arguments: [("QĐ", "Quyết định"), ("QyĐ", "Quy định"), ("TTr", "Tờ trình"), ("SY", "Bản sao y")])
    func abbreviationFindsItsType(abbreviation: String, name: String) {
        #expect(DocumentTypeCatalog.type(abbreviation: abbreviation)?.name == name)
    }

    @Test func rolesAndPermissionsKeepTheirContractNames() {
        #expect(Role.allCases.map(\.rawValue) == ["clerk", "specialist", "unitLeader", "head", "admin"])
        #expect(Permission.allCases.map(\.rawValue) == ["sms.send", "news.publish", "calendar.publishAgency", "reports.view"])
    }
}
