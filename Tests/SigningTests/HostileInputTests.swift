import Contracts
import Foundation
import Testing

@testable import Signing

/// Mutated PDFs and CMS blobs: every one gets a report, none crashes or hangs the verifier.
@Suite("Hostile input", .timeLimit(.minutes(2)))
struct HostileInputTests {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ input: [UInt8], using random: inout Seeded) -> [UInt8] {
        var bytes = input
        switch Int.random(in: 0..<6, using: &random) {
        case 0:
            for _ in 0..<Int.random(in: 1...8, using: &random) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
        case 1:
            bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
        case 2:
            let at = Int.random(in: 0...bytes.count, using: &random)
            bytes.insert(contentsOf: (0..<Int.random(in: 1...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: at)
        case 3:
            // A ByteRange pointing anywhere, including outside the file.
            let text = "/ByteRange [0 \(Int.random(in: 0...Int(Int32.max), using: &random)) \(Int.random(in: 0...99_999_999, using: &random)) 9999999999999999999]"
            if let at = Bytes.indices(of: Array("/ByteRange".utf8), in: bytes).first {
                bytes.replaceSubrange(at..<min(bytes.count, at + text.utf8.count), with: Array(text.utf8))
            }
        case 4:
            // Nested dictionaries and a huge /Contents.
            bytes += Array("\n9 0 obj << /Type /Sig << << << /ByteRange [0 1 2 3] /Contents <".utf8)
                + Array(repeating: UInt8(ascii: "f"), count: Int.random(in: 0...300_000, using: &random)) + Array("> >> endobj".utf8)
        default:
            if bytes.count > 2 { bytes.swapAt(Int.random(in: 0..<bytes.count, using: &random), Int.random(in: 0..<bytes.count, using: &random)) }
        }
        return bytes
    }

    @Test func twoThousandMutationsAllGetAReport() throws {
        let verifier = try FixtureTrust.make().verifier
        let pdfs = [try Fixtures.bytes("one-signature.pdf"), try Fixtures.bytes("two-signatures.pdf")]
        let cms = try Fixtures.bytes("signer.cms.der")
        let content = try Fixtures.bytes("content.txt")
        var random = Seeded(state: 20_261_125)
        var verdicts: [Verdict: Int] = [:]
        for round in 0..<2000 {
            let findings: [SignatureFinding]
            if round % 4 == 3 {
                findings = verifier.verify(.detached(document: content, signature: Self.mutate(cms, using: &random)))
            } else {
                findings = verifier.verify(.pdf(Self.mutate(pdfs[round % 2], using: &random)))
            }
            #expect(!findings.isEmpty)
            #expect(findings.allSatisfy { !$0.message.isEmpty })
            verdicts[Verdict.of(findings), default: 0] += 1
        }
        // Most mutations break something; a few land where nothing is checked (after the last %%EOF).
        #expect(verdicts[.failed, default: 0] > 1000)
    }

    /// `c + d` of `[a b c d]` overflowed (a trap that ended Signing, again at each redelivery of a
    /// partner's file); every number is now checked against the file before any sum.
    @Test func aByteRangeWhoseNumbersNearIntMaxIsRefusedNotATrap() throws {
        let original = try Fixtures.bytes("one-signature.pdf")
        let at = try #require(Bytes.indices(of: Array("/ByteRange [".utf8), in: original).first)
        for fake in [
            "/ByteRange [0 0000000100 0000000200 9223372036854775807]", "/ByteRange [0 0000000100 0000000200 9223372036854775700]",
            "/ByteRange [0 9223372036854775807 9223372036854775807 1]", "/ByteRange [0 0000000100 9223372036854775800 0000000010]",
        ] {
            var pdf = original
            pdf.replaceSubrange(at..<at + fake.utf8.count, with: Array(fake.utf8))
            let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
            #expect(findings.map(\.reasons) == [[.byteRangeInvalid]], "\(fake)")
        }
    }

    /// The object's end was looked for from the key itself: in `/ByteRangendobj` the key's last `e` starts
    /// an `endobj`, and the range after the key was reversed, a trap in any build.
    @Test func aKeyRunningIntoEndobjIsMalformedNotATrap() throws {
        for text in ["%PDF-1.7\n/ByteRangendobj\n", "%PDF-1.7\n/ByteRange endobj", "%PDF-1.7\n/ByteRange[endobj", "%PDF-1.7\n/ByteRange"] {
            let findings = try FixtureTrust.make().verifier.verify(.pdf(Array(text.utf8)))
            #expect(!findings.isEmpty, "\(text)")
            #expect(Verdict.of(findings) == .failed, "\(text)")
        }
    }

    @Test func aByteRangeOutsideTheFileIsRefusedAsSuch() throws {
        var pdf = try Fixtures.bytes("one-signature.pdf")
        let at = try #require(Bytes.indices(of: Array("/ByteRange [".utf8), in: pdf).first)
        let fake = Array("/ByteRange [0 0000000100 0099999999 0000000010]".utf8)
        pdf.replaceSubrange(at..<at + fake.count, with: fake)
        let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
        #expect(findings.map(\.reasons) == [[.byteRangeInvalid]])
        #expect(Verdict.of(findings) == .failed)
    }
}

@Suite("Reason codes are described", .timeLimit(.minutes(2)))
struct ReasonCodeTests {
    @Test func everyReasonCodeIsListedInOpenAPIAndHasASentence() throws {
        let openapi = OpenAPI.yaml
        let line = try #require(openapi.split(separator: "\n").first { $0.contains("enum: [malformed, no_signatures") })
        let listed = Set(line.split(separator: "[")[1].split(separator: "]")[0].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(listed == Set(ReasonCode.allCases.map(\.rawValue)))
        #expect(ReasonCode.allCases.allSatisfy { $0.vietnamese.hasSuffix(".") })
    }
}
