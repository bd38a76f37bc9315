import Foundation
import Testing

@testable import Signing

/// Every signed PDF fixture gets the verdict and reason codes committed in `expected.json`, and those
/// agree with pyHanko's judgement of the same file under the same trust (`pyhanko-verdicts.json`,
/// written by make-fixtures.sh): `passed` exactly where pyHanko's bottom line holds for every signature.
@Suite("Fixtures judged as pyHanko judges them", .timeLimit(.minutes(2)))
struct ReferenceVerdictTests {
    struct Expected: Decodable {
        var result: String
        var reasons: [[String]]
    }

    struct Reference: Decodable {
        var verdict: String
    }

    static let expected: [String: Expected] = {
        let url = Bundle.module.url(forResource: "expected", withExtension: "json")!
        return try! JSONDecoder().decode([String: Expected].self, from: Data(contentsOf: url))
    }()

    static let reference: [String: Reference] = {
        try! JSONDecoder().decode([String: Reference].self, from: Fixtures.data("pyhanko-verdicts.json"))
    }()

    @Test(arguments: expected.keys.sorted())
    func theFixtureGetsItsExpectedVerdictAndReasons(name: String) throws {
        let findings = try FixtureTrust.make().verifier.verify(.pdf(try Fixtures.bytes(name)))
        let expected = try #require(Self.expected[name])
        #expect(Verdict.of(findings).rawValue == expected.result, "\(name)")
        #expect(findings.map { $0.reasons.map(\.rawValue) } == expected.reasons, "\(name)")
    }

    @Test(arguments: expected.keys.sorted())
    func theExpectedVerdictAgreesWithPyHanko(name: String) throws {
        let reference = try #require(Self.reference[name], "pyHanko has no verdict for \(name): run make-fixtures.sh")
        #expect((Self.expected[name]?.result == "passed") == (reference.verdict == "passed"), "\(name)")
    }

    @Test func everySignedFixtureHasAnExpectedResult() throws {
        #expect(Set(Self.reference.keys) == Set(Self.expected.keys))
    }
}
