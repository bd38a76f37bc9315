import Foundation
import Testing

@testable import Signing

/// A partner's 50 MB PDF with a million objects is answered in linear time: the text-search scanner
/// this replaced scanned backwards and forwards from every token (quadratic, minutes of a core). Its
/// speed is measured by `make bench` (`signing.hostile_50mb_ms`); here only its outcome, with a bound
/// that catches a return of the quadratic walk.
@Suite("Large hostile files", .timeLimit(.minutes(2)))
struct LargeFileTests {
    @Test func aMillionObjectsAfterTheSignatureAreReadOnceAndChangeNothing() throws {
        let pdf = try #require(Benchmark.millionObjects(after: try Fixtures.bytes("one-signature.pdf")))
        #expect(pdf.count > 45 << 20)
        let started = ContinuousClock.now
        let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
        let elapsed = ContinuousClock.now - started
        // Unreferenced new objects change nothing a reader shows: the signature holds, not over the whole file.
        #expect(Verdict.of(findings) == .passed)
        #expect(findings.map(\.coversWholeDocument) == [false])
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }

    /// The old attack: a million `obj` tokens after the end, not a revision at all; the last startxref
    /// still names the signed revision.
    @Test func aMillionObjTokensOfJunkAreNeverSearched() throws {
        var pdf = try Fixtures.bytes("one-signature.pdf")
        let tail = Array(pdf.suffix(from: try #require(Bytes.last(Array("startxref".utf8), in: pdf, before: pdf.count))))
        pdf += Array(repeating: Array(" 1 obj /ByteRange endobj".utf8), count: 1_000_000).flatMap { $0 }
        pdf += Array("\n".utf8) + tail
        let started = ContinuousClock.now
        let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
        #expect(Verdict.of(findings) == .passed)
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
