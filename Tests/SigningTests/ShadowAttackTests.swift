import Foundation
import Testing

@testable import Signing

/// Incremental updates an attacker appends to a signed PDF so that a reader shows something else, found
/// by a review of RevisionDiff: each must be `modified_after_signing`, while the harmless form of the
/// same update still passes.
@Suite("Updates that would change what a reader shows", .timeLimit(.minutes(2)))
struct ShadowAttackTests {
    /// `one-signature.pdf` (1 catalog, 2 pages, 3 page, 4 content, 5 signature widget, 6 signature,
    /// 7 font) with one more revision holding `objects`, indexed by a cross-reference table.
    static func update(_ objects: [Int: String]) throws -> [UInt8] {
        var pdf = try Fixtures.bytes("one-signature.pdf")
        let previous = try PDFCrossReference.lastSection(pdf, end: pdf.count, budget: PDFBudget())
        var offsets: [Int: Int] = [:]
        for (number, body) in objects.sorted(by: { $0.key < $1.key }) {
            offsets[number] = pdf.count
            pdf += Array("\(number) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let xref = pdf.count
        var table = "xref\n"
        for (number, offset) in offsets.sorted(by: { $0.key < $1.key }) {
            let digits = String(offset)
            table += "\(number) 1\n" + String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        let size = max(8, (objects.keys.max() ?? 0) + 1)
        pdf += Array((table + "trailer\n<< /Size \(size) /Root 1 0 R /Prev \(previous) >>\nstartxref\n\(xref)\n%%EOF\n").utf8)
        return pdf
    }

    static func stream(_ dictionary: String, _ data: String) -> String {
        "<< \(dictionary) /Length \(data.utf8.count) >>\nstream\n\(data)\nendstream"
    }

    static let page = "/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 7 0 R >> >>"
    static let fake = "BT /F1 14 Tf 72 760 Td (Cong van da bi sua) Tj ET"

    func verdict(_ pdf: [UInt8]) throws -> (Verdict, [ReasonCode]) {
        let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
        return (Verdict.of(findings), findings.flatMap(\.reasons))
    }

    /// The catalog re-pointed at the page content as its "metadata", which then changes.
    @Test func contentCannotBeDisguisedAsMetadata() throws {
        let (verdict, reasons) = try verdict(
            try Self.update([
                1: "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> /Metadata 4 0 R >>",
                4: Self.stream("/Type /Metadata /Subtype /XML", Self.fake),
            ]))
        #expect(verdict == .failed)
        #expect(reasons.contains(.modifiedAfterSigning))
    }

    /// A new, unsigned "signature" widget the size of the page, whose appearance paints new text.
    @Test func aVisibleUnsignedSignatureWidgetCannotCoverThePage() throws {
        func attempt(rect: String) throws -> Verdict {
            try verdict(
                try Self.update([
                    1: "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 8 0 R] /SigFlags 3 >> >>",
                    3: "<< \(Self.page) /Annots [5 0 R 8 0 R] >>",
                    8: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Overlay) /Rect \(rect) /P 3 0 R /F 4 /AP << /N 9 0 R >> >>",
                    9: Self.stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842]", "1 g 0 0 595 842 re f 0 g " + Self.fake),
                ])
            ).0
        }
        #expect(try attempt(rect: "[0 0 595 842]") == .failed)
        // The same empty field, invisible, is what a form prepared for a later signature holds: allowed.
        #expect(try attempt(rect: "[0 0 0 0]") == .passed)
    }

    /// The signed field's own widget: hidden, or its appearance replaced.
    @Test func aSignedFieldCannotChangeItsAppearanceOrFlags() throws {
        let hidden = try verdict(
            try Self.update([5: "<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 6 0 R /T (Signer) /P 3 0 R /F 134 >>"]))
        #expect(hidden.0 == .failed)
        let painted = try verdict(
            try Self.update([
                5: "<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /V 6 0 R /T (Signer) /P 3 0 R /F 132 /AP << /N 8 0 R >> >>",
                8: Self.stream("/Type /XObject /Subtype /Form /BBox [0 0 200 50]", Self.fake),
            ]))
        #expect(painted.0 == .failed)
    }
}
