import Foundation
import Testing

@testable import Signing

/// Findings of a review of the structural comparison: changes a later revision could make that were
/// excused by a role the changed object also played, overlays through fields that were already signed,
/// and files that trapped or recursed without bound. Each is judged here on the comparison itself
/// (an unsigned base and one incremental update) or, where a real signature matters, on the verifier.
@Suite("Revision comparison after review", .timeLimit(.minutes(2)))
struct RevisionDiffReviewTests {
    /// 1 catalog (its form's field list is object 10), 2 pages, 3 page (its annotations are object 11),
    /// 4 content, 5 an empty hidden signature field, 7 a font, 12 a text field.
    static func base(contents: String = "4 0 R", trailer: String = "", field: String? = nil, extra: [Int: String] = [:]) -> [UInt8] {
        var objects: [Int: String] = [
            1: "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields 10 0 R >> >>",
            2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: "<< \(page(contents: contents)) /Annots 11 0 R >>",
            4: ShadowAttackTests.stream("", "BT /F1 14 Tf 72 760 Td (Cong van goc) Tj ET"),
            5: field ?? "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signer) /Rect [0 0 595 842] /P 3 0 R /F 2 >>",
            7: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            10: "[5 0 R 12 0 R]",
            11: "[5 0 R 12 0 R]",
            12: "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Name) /Rect [0 0 0 0] /P 3 0 R >>",
        ]
        objects.merge(extra) { _, new in new }
        var pdf = Array("%PDF-1.7\n".utf8)
        var offsets: [Int: Int] = [:]
        for (number, body) in objects.sorted(by: { $0.key < $1.key }) {
            offsets[number] = pdf.count
            pdf += Array("\(number) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let size = (objects.keys.max() ?? 0) + 1
        let xref = pdf.count
        var table = "xref\n0 \(size)\n0000000000 65535 f \n"
        for number in 1..<size {
            table += offsets[number].map { line($0, 0, "n") } ?? line(0, 0, "f")
        }
        pdf += Array((table + "trailer\n<< /Size \(size) /Root 1 0 R \(trailer) >>\nstartxref\n\(xref)\n%%EOF\n").utf8)
        return pdf
    }

    static func page(contents: String = "4 0 R") -> String {
        "/Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents \(contents) /Resources << /Font << /F1 7 0 R >> >>"
    }

    static func line(_ offset: Int, _ generation: Int, _ kind: String) -> String {
        let digits = String(offset)
        let gen = String(generation)
        return String(repeating: "0", count: 10 - digits.count) + digits + " " + String(repeating: "0", count: 5 - gen.count) + gen + " \(kind) \n"
    }

    /// `pdf` with one incremental update holding `objects` (number: (generation, body)).
    static func update(_ pdf: [UInt8], _ objects: [Int: (Int, String)], trailer: String = "") throws -> [UInt8] {
        var pdf = pdf
        let previous = try PDFCrossReference.lastSection(pdf, end: pdf.count, budget: PDFBudget())
        var offsets: [Int: (Int, Int)] = [:]
        for (number, (generation, body)) in objects.sorted(by: { $0.key < $1.key }) {
            offsets[number] = (pdf.count, generation)
            pdf += Array("\(number) \(generation) obj\n\(body)\nendobj\n".utf8)
        }
        let xref = pdf.count
        var table = "xref\n"
        for (number, (offset, generation)) in offsets.sorted(by: { $0.key < $1.key }) {
            table += "\(number) 1\n" + line(offset, generation, "n")
        }
        let size = max(13, (objects.keys.max() ?? 0) + 1)
        pdf += Array((table + "trailer\n<< /Size \(size) /Root 1 0 R /Prev \(previous) \(trailer) >>\nstartxref\n\(xref)\n%%EOF\n").utf8)
        return pdf
    }

    /// The changes between the base (ending at `signedEnd`) and the whole file.
    static func changes(_ pdf: [UInt8], signedEnd: Int) throws -> [String] {
        let budget = PDFBudget()
        let signed = try PDFRevision(pdf, end: signedEnd, budget: budget)
        let final = try PDFRevision(pdf, end: pdf.count, budget: budget)
        let before = try PDFStructure.read(signed)
        let after = try PDFStructure.read(final)
        return try RevisionDiff(
            signed: signed, final: final, before: before, after: after, allowance: .init(certificationLevel: after.certificationLevel)
        ).changes()
    }

    static let fake = ShadowAttackTests.stream("", "BT /F1 14 Tf 72 760 Td (Cong van da bi sua) Tj ET")
    static let hiddenNewField = "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Later) /Rect [0 0 0 0] /P 3 0 R >>"

    /// Acrobat keeps the field list and the annotation list as objects of their own: adding a field for a
    /// later signature to both is what a second signer does, not a change.
    @Test func aNewSignatureFieldInIndirectFieldAndAnnotationListsIsAllowed() throws {
        let base = Self.base()
        let pdf = try Self.update(base, [8: (0, Self.hiddenNewField), 10: (0, "[5 0 R 12 0 R 8 0 R]"), 11: (0, "[5 0 R 12 0 R 8 0 R]")])
        #expect(try Self.changes(pdf, signedEnd: base.count) == [])
        // The same lists given a new text field instead are a change.
        let text = "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Extra) /Rect [0 0 595 842] /P 3 0 R >>"
        let other = try Self.update(base, [8: (0, text), 10: (0, "[5 0 R 12 0 R 8 0 R]"), 11: (0, "[5 0 R 12 0 R 8 0 R]")])
        #expect(try Self.changes(other, signedEnd: base.count) != [])
    }

    /// Page content that the signed revision also named as its document information, a DSS certificate or
    /// a text field's appearance: the role does not excuse replacing what the page paints.
    @Test func contentThatAlsoPlaysAnotherRoleCannotChange() throws {
        let info = Self.base(trailer: "/Info 4 0 R")
        #expect(try Self.changes(try Self.update(info, [4: (0, Self.fake)], trailer: "/Info 4 0 R"), signedEnd: info.count) != [])

        let dss = Self.base(extra: [1: "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields 10 0 R >> /DSS << /Certs [4 0 R] >> >>"])
        #expect(try Self.changes(try Self.update(dss, [4: (0, Self.fake)]), signedEnd: dss.count) != [])

        let appearance = Self.base(extra: [12: "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Name) /Rect [0 0 0 0] /P 3 0 R /AP << /N 4 0 R >> >>"])
        #expect(try Self.changes(try Self.update(appearance, [4: (0, Self.fake)]), signedEnd: appearance.count) != [])

        // A font the page uses, changed in place, is content too.
        let font = Self.base()
        #expect(try Self.changes(try Self.update(font, [7: (0, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>")]), signedEnd: font.count) != [])
    }

    /// Same bytes under a new generation: every `4 0 R` of the signed revision now points at nothing.
    @Test func aNewGenerationOfAnObjectIsAChange() throws {
        let base = Self.base()
        let body = ShadowAttackTests.stream("", "BT /F1 14 Tf 72 760 Td (Cong van goc) Tj ET")
        #expect(try Self.changes(try Self.update(base, [4: (1, body)]), signedEnd: base.count) != [])
    }

    /// The signed page names content that did not exist yet; a later revision supplies it.
    @Test func contentFilledInThroughADanglingReferenceIsAChange() throws {
        let base = Self.base(contents: "[4 0 R 99 0 R]")
        let pdf = try Self.update(base, [99: (0, Self.fake)])
        #expect(try Self.changes(pdf, signedEnd: base.count).contains { $0.contains("99") })
    }

    /// An empty signature field that a reader hides may not be made visible, or given a face, unless it is
    /// signed in the same step.
    @Test func anEmptySignatureFieldChangesItsLookOnlyByBeingSigned() throws {
        let base = Self.base()
        let shown = try Self.update(base, [
            5: (0, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signer) /Rect [0 0 595 842] /P 3 0 R /F 4 /AP << /N 9 0 R >> >>"),
            9: (0, ShadowAttackTests.stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842]", "1 g 0 0 595 842 re f")),
        ])
        #expect(try Self.changes(shown, signedEnd: base.count) != [])
    }

    /// A widget added to the signed field of a real signature, the size of the page: it would paint over
    /// the page under that signature's name.
    @Test func aNewWidgetOnAFieldSignedBeforeCannotPaintThePage() throws {
        let pdf = try ShadowAttackTests.update([
            3: "<< \(ShadowAttackTests.page) /Annots [5 0 R 8 0 R] >>",
            8: "<< /Type /Annot /Subtype /Widget /Parent 5 0 R /Rect [0 0 595 842] /P 3 0 R /F 4 /AP << /N 9 0 R >> >>",
            9: ShadowAttackTests.stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842]", "1 g 0 0 595 842 re f 0 g " + ShadowAttackTests.fake),
        ])
        let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
        #expect(Verdict.of(findings) == .failed)
        #expect(findings.flatMap(\.reasons).contains(.modifiedAfterSigning))
    }

    /// A new field whose value is the genuine signature already there: one signature, one field.
    @Test func aSecondFieldCannotReuseTheSignatureAlreadyThere() throws {
        let pdf = try ShadowAttackTests.update([
            1: "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 8 0 R] /SigFlags 3 >> >>",
            3: "<< \(ShadowAttackTests.page) /Annots [5 0 R 8 0 R] >>",
            8: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Copy) /V 6 0 R /Rect [0 0 595 842] /P 3 0 R /F 4 /AP << /N 9 0 R >> >>",
            9: ShadowAttackTests.stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842]", "1 g 0 0 595 842 re f 0 g " + ShadowAttackTests.fake),
        ])
        #expect(Verdict.of(try FixtureTrust.make().verifier.verify(.pdf(pdf))) != .passed)
    }

    /// A cross-reference that points at the file's last digits read the byte after the end (a trap of the
    /// whole service). Every offset of a real file as `startxref` is answered, only the true one passes.
    @Test func aCrossReferenceAtAnyOffsetIsAnsweredNeverATrap() throws {
        let tiny = Array("%PDF-1.7\nstartxref\n19".utf8)
        #expect(Verdict.of(try FixtureTrust.make().verifier.verify(.pdf(tiny))) != .passed)

        let pdf = try Fixtures.bytes("one-signature.pdf")
        let keyword = try #require(Bytes.last(Array("startxref".utf8), in: pdf, before: pdf.count))
        let truth = try PDFCrossReference.lastSection(pdf, end: pdf.count, budget: PDFBudget())
        let head = Array(pdf[..<keyword])
        for offset in 0..<keyword {
            let retargeted = head + Array("startxref\n\(offset)\n%%EOF\n".utf8)
            guard (try? PDFStructure.read(try PDFRevision(retargeted, end: retargeted.count, budget: PDFBudget()))) != nil else { continue }
            // Readable only where nothing but white space stands before the true table.
            #expect(pdf[offset..<truth].allSatisfy(Bytes.isWhitespace), "startxref \(offset) read as a revision")
        }
        let last = Array(pdf[..<keyword]) + Array("startxref\n\(keyword + 10)".utf8)
        #expect(Verdict.of(try FixtureTrust.make().verifier.verify(.pdf(last))) != .passed)
    }

    /// Each stream's /Length is the next stream, ten thousand deep: followed only so far, then refused.
    @Test func aChainOfStreamLengthsIsRefusedNotFollowedToTheEndOfTheStack() throws {
        var objects: [Int: String] = [4: "<< /Length 100 0 R >>\nstream\nBT ET\nendstream"]
        for number in 100..<10_100 {
            objects[number] = "<< /Length \(number + 1) 0 R >>\nstream\n5\nendstream"
        }
        objects[10_100] = "5"
        let pdf = try ShadowAttackTests.update(objects)
        let findings = try FixtureTrust.make().verifier.verify(.pdf(pdf))
        #expect(Verdict.of(findings) != .passed)
    }

    /// A hybrid file (ISO 32000-1 §7.5.8.4): the table leaves out object 12, which only the cross-reference
    /// stream named by `/XRefStm` places, in an object stream. A reader that skipped `/XRefStm` would not
    /// see the text field at all.
    @Test func aHybridFileReadsTheObjectsOnlyItsCrossReferenceStreamPlaces() throws {
        let all = Self.base()
        let revision = try PDFRevision(all, end: all.count, budget: PDFBudget())
        var pdf = Array("%PDF-1.7\n".utf8)
        var offsets: [Int: Int] = [:]
        for number in [1, 2, 3, 4, 5, 7, 10, 11] {
            guard case .offset(let at, _) = revision.entry(number) else { throw PDFSyntaxError.malformed("fixture") }
            let end = try #require(Bytes.first(Array("endobj".utf8), in: all, range: at..<all.count))
            offsets[number] = pdf.count
            pdf += all[at..<end + 6] + Array("\n".utf8)
        }
        let field = "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Name) /Rect [0 0 0 0] /P 3 0 R >>"
        let header = "12 0 "
        offsets[13] = pdf.count
        pdf += Array("13 0 obj\n<< /Type /ObjStm /N 1 /First \(header.utf8.count) /Length \((header + field).utf8.count) >>\nstream\n\(header)\(field)\nendstream\nendobj\n".utf8)
        offsets[14] = pdf.count
        // One row: type 2, object stream 13, index 0.
        let row: [UInt8] = [2, 0, 13, 0, 0]
        pdf += Array("14 0 obj\n<< /Type /XRef /Size 15 /W [1 2 2] /Index [12 1] /Length \(row.count) >>\nstream\n".utf8) + row
            + Array("\nendstream\nendobj\n".utf8)
        let xref = pdf.count
        var table = "xref\n0 12\n0000000000 65535 f \n"
        for number in 1..<12 { table += offsets[number].map { Self.line($0, 0, "n") } ?? Self.line(0, 0, "f") }
        table += "13 2\n" + Self.line(offsets[13]!, 0, "n") + Self.line(offsets[14]!, 0, "n")
        pdf += Array((table + "trailer\n<< /Size 15 /Root 1 0 R /XRefStm \(offsets[14]!) >>\nstartxref\n\(xref)\n%%EOF\n").utf8)

        let structure = try PDFStructure.read(try PDFRevision(pdf, end: pdf.count, budget: PDFBudget()))
        #expect(structure.fields[12]?.type == "Tx")
        #expect(structure.fields[5]?.type == "Sig")
    }

    /// FieldMDP: a signature that locks a field (its field's `/Lock`, or its own FieldMDP reference) makes
    /// filling that field in later a change, though form filling is otherwise allowed.
    @Test func aFieldTheSignatureLocksCannotBeFilledInLater() throws {
        let locked = "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signer) /Rect [0 0 0 0] /P 3 0 R /F 2 /Lock << /Type /SigFieldLock /Action /Include /Fields [(Name)] >> >>"
        let base = Self.base(field: locked)
        let filled = "<< /Type /Annot /Subtype /Widget /FT /Tx /T (Name) /V (Nguyen Van A) /Rect [0 0 0 0] /P 3 0 R >>"
        let pdf = try Self.update(base, [12: (0, filled)])
        let budget = PDFBudget()
        let signed = try PDFRevision(pdf, end: base.count, budget: budget)
        let final = try PDFRevision(pdf, end: pdf.count, budget: budget)
        let before = try PDFStructure.read(signed)
        let after = try PDFStructure.read(final)
        let field = try #require(before.fields[5])
        let lock = try FieldLock.of(signature: PDFDictionary(), field: field.dictionary, revision: signed)
        #expect(lock == .include(["Name"]))
        func changes(_ lock: FieldLock?) throws -> [String] {
            try RevisionDiff(signed: signed, final: final, before: before, after: after, allowance: .signingAndFormFilling, lock: lock).changes()
        }
        #expect(try changes(nil) == [])
        #expect(try changes(lock) != [])
        #expect(try changes(.exclude(["Name"])) == [])
        #expect(try changes(.all) != [])
    }

    /// An empty signature box for the next signer, shown on the page but painting nothing, is what a
    /// preparer adds between two signatures (pyHanko: form filling); one that paints, or that a reader
    /// would draw from its `/MK`, is not.
    @Test func aBlankSignatureBoxForTheNextSignerIsAllowedAndOneThatPaintsIsNot() throws {
        let base = Self.base()
        func add(_ widget: String, extra: [Int: (Int, String)] = [:]) throws -> [String] {
            let pdf = try Self.update(base, [8: (0, widget), 10: (0, "[5 0 R 12 0 R 8 0 R]"), 11: (0, "[5 0 R 12 0 R 8 0 R]")].merging(extra) { $1 })
            return try Self.changes(pdf, signedEnd: base.count)
        }
        let box = "/Type /Annot /Subtype /Widget /FT /Sig /T (Next) /Rect [320 80 560 140] /P 3 0 R /F 132"
        let emptyFace = ShadowAttackTests.stream("/Type /XObject /Subtype /Form /BBox [0 0 240 60]", " ")
        #expect(try add("<< \(box) /AP << /N 9 0 R >> >>", extra: [9: (0, emptyFace)]) == [])
        #expect(try add("<< \(box) >>") == [])
        #expect(try add("<< \(box) /MK << /BG [1 1 1] >> >>") != [])
        let painted = ShadowAttackTests.stream("/Type /XObject /Subtype /Form /BBox [0 0 240 60]", "1 g 0 0 240 60 re f")
        #expect(try add("<< \(box) /AP << /N 9 0 R >> >>", extra: [9: (0, painted)]) != [])
    }

    /// After a certification signature no new signature field may be shown on a page, signed or not
    /// (pyHanko's default): a counter-signer's stamp could cover certified content. A hidden one may.
    @Test func afterACertificationSignatureANewSignatureMayNotBeShown() throws {
        let base = Self.base()
        let value = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 1 2 3] /Contents <00> >>"
        func changes(_ rect: String, certified: Bool) throws -> [String] {
            let widget = "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Second) /V 9 0 R /Rect \(rect) /P 3 0 R /F 132 >>"
            let pdf = try Self.update(base, [8: (0, widget), 9: (0, value), 10: (0, "[5 0 R 12 0 R 8 0 R]"), 11: (0, "[5 0 R 12 0 R 8 0 R]")])
            let budget = PDFBudget()
            let signed = try PDFRevision(pdf, end: base.count, budget: budget)
            let final = try PDFRevision(pdf, end: pdf.count, budget: budget)
            return try RevisionDiff(
                signed: signed, final: final, before: try PDFStructure.read(signed), after: try PDFStructure.read(final),
                allowance: .signingAndFormFilling, certified: certified
            ).changes()
        }
        #expect(try changes("[320 80 560 140]", certified: false) == [])
        #expect(try changes("[320 80 560 140]", certified: true) != [])
        #expect(try changes("[0 0 0 0]", certified: true) == [])
    }

    /// Hidden means hidden: a widget flagged NoView but Print is printed, one whose /Rect numbers are
    /// references is drawn by readers that follow them. Either, unsigned and painting, is a change.
    @Test func aPrintedOrIndirectlyPlacedUnsignedBoxIsNotHidden() throws {
        let base = Self.base()
        let painted = ShadowAttackTests.stream("/Type /XObject /Subtype /Form /BBox [0 0 240 60]", "1 g 0 0 240 60 re f")
        func add(flags: Int, rect: String) throws -> [String] {
            let widget = "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Box) /Rect \(rect) /P 3 0 R /F \(flags) /AP << /N 9 0 R >> >>"
            let pdf = try Self.update(
                base, [8: (0, widget), 9: (0, painted), 13: (0, "300"), 10: (0, "[5 0 R 12 0 R 8 0 R]"), 11: (0, "[5 0 R 12 0 R 8 0 R]")])
            return try Self.changes(pdf, signedEnd: base.count)
        }
        #expect(try add(flags: 32, rect: "[0 0 300 300]") == [], "NoView alone: never drawn")
        #expect(try add(flags: 36, rect: "[0 0 300 300]") != [], "NoView with Print: printed")
        #expect(try add(flags: 288, rect: "[0 0 300 300]") != [], "NoView with ToggleNoView")
        #expect(try add(flags: 4, rect: "[0 0 13 0 R 300]") != [])
        #expect(try add(flags: 2, rect: "[0 0 13 0 R 300]") == [], "Hidden")
    }
}
