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
        switch Int.random(in: 0..<8, using: &random) {
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
        case 5:
            // A number of the structure (an offset, a length, a count, a generation) at a boundary.
            let boundaries = ["9223372036854775807", "9223372036854775808", "-1", "0", "4294967296", "8388608", "99999999999999999999"]
            let starts = (0..<max(0, bytes.count - 1)).filter { (0x30...0x39).contains(bytes[$0]) && !(0x30...0x39).contains(bytes[max(0, $0 - 1)]) }
            if let at = starts.randomElement(using: &random) {
                var end = at
                while end < bytes.count, (0x30...0x39).contains(bytes[end]) { end += 1 }
                bytes.replaceSubrange(at..<end, with: Array(boundaries.randomElement(using: &random)!.utf8))
            }
        case 6:
            // Nesting far past any limit, at a random place.
            let depth = Int.random(in: 100...20_000, using: &random)
            bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "["), count: depth) + Array("<< /A ".utf8), at: Int.random(in: 0...bytes.count, using: &random))
        default:
            if bytes.count > 2 { bytes.swapAt(Int.random(in: 0..<bytes.count, using: &random), Int.random(in: 0..<bytes.count, using: &random)) }
        }
        return bytes
    }

    /// No mutation passes unless every signature it carries is over bytes that a passing fixture's own
    /// signature covers (a mutation may land where nothing is signed: after the last %%EOF, in the
    /// padding of /Contents); each input is answered within a bound, none traps.
    @Test func noMutationPassesUnlessItsSignaturesCoverAPassingFixturesOwnBytes() throws {
        let verifier = try FixtureTrust.make().verifier
        let sources = ["one-signature.pdf", "two-signatures.pdf", "signer-then-seal.pdf", "object-streams-two-signatures.pdf",
            "certified-fill-forms-then-filled.pdf"]
        let pdfs = try sources.map(Fixtures.bytes)
        var genuine: Set<[UInt8]> = []
        for pdf in pdfs {
            #expect(Verdict.of(verifier.verify(.pdf(pdf))) == .passed)
            for field in try PDFSignatureScanner.scan(pdf).fields { genuine.insert(field.signedBytes(of: pdf)) }
        }
        let cms = try Fixtures.bytes("signer.cms.der")
        let content = try Fixtures.bytes("content.txt")
        var random = Seeded(state: 20_261_203)
        var verdicts: [Verdict: Int] = [:]
        for round in 0..<2000 {
            let started = ContinuousClock.now
            if round % 4 == 3 {
                let mutated = Self.mutate(cms, using: &random)
                let findings = verifier.verify(.detached(document: content, signature: mutated))
                #expect(!findings.isEmpty)
                verdicts[Verdict.of(findings), default: 0] += 1
                continue
            }
            let mutated = Self.mutate(pdfs[round % pdfs.count], using: &random)
            let findings = verifier.verify(.pdf(mutated))
            #expect(ContinuousClock.now - started < .seconds(10), "round \(round) took too long")
            #expect(!findings.isEmpty)
            #expect(findings.allSatisfy { !$0.message.isEmpty })
            let verdict = Verdict.of(findings)
            verdicts[verdict, default: 0] += 1
            if verdict == .passed {
                let fields = try PDFSignatureScanner.scan(mutated).fields
                #expect(fields.allSatisfy { genuine.contains($0.signedBytes(of: mutated)) }, "round \(round): passed over bytes no fixture signed")
            }
        }
        #expect(verdicts[.failed, default: 0] > 1000)
    }

    /// `c + d` of `[a b c d]` overflowed (a trap that ended Signing, again at each redelivery of a
    /// partner's file); every number is now checked against the file before any sum.
    @Test func aByteRangeWhoseNumbersNearIntMaxIsRefusedNotATrap() throws {
        let original = try Fixtures.bytes("one-signature.pdf")
        let at = try #require(Bytes.indices(of: Array("/ByteRange [".utf8), in: original).first) + 11
        let close = try #require(Bytes.first([UInt8(ascii: "]")], in: original, range: at..<original.count))
        // Each written over the original array, padded to its length, so the file's structure still holds.
        for fake in [
            "[0 100 200 9223372036854775807", "[0 100 200 9223372036854775700", "[0 9223372036854775807 1 1",
            "[0 100 9223372036854775800 10", "[0 9223372036854775807 9223372036854775807 1",
        ] {
            let text = Array(fake.utf8)
            guard text.count <= close - at else { continue }
            var pdf = original
            pdf.replaceSubrange(at..<close, with: text + Array(repeating: UInt8(ascii: " "), count: close - at - text.count))
            let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
            #expect(findings.map(\.reasons) == [[.byteRangeInvalid]], "\(fake)")
        }
        // Past Int.max: refused by the parser, a failed report.
        var pdf = original
        let text = Array("[0 99999999999999999999".utf8)
        pdf.replaceSubrange(at..<close, with: text + Array(repeating: UInt8(ascii: " "), count: close - at - text.count))
        #expect(Verdict.of(try FixtureTrust.make().verifier.verify(.pdf(pdf))) == .failed)
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
