/// What changed between the revision a signature covers and the final file, judged object by object
/// (the reasoning of pyHanko's difference analysis): every object of the signed revision that the final
/// file holds differently must be explained by the part it plays in both, and may change only in the
/// ways that part allows. Allowed: new signature fields and their widgets, the form's field list and
/// the pages' annotation lists that hold them, the document security store, document metadata, and
/// form filling unless a certification signature forbids it. Anything else (content, resources, media
/// boxes, actions, the page tree, an object deleted or a signature rewritten) is a change.
struct RevisionDiff {
    /// What later revisions may do, from the certification signature's DocMDP level.
    enum Allowance: Equatable {
        /// `/P 1`: only the document security store and document timestamps.
        case timestampsOnly
        /// `/P 2` or `3`, or no certification: signing and filling in forms.
        case signingAndFormFilling

        init(certificationLevel: Int?) { self = certificationLevel == 1 ? .timestampsOnly : .signingAndFormFilling }
    }

    let signed: PDFRevision
    let final: PDFRevision
    let before: PDFStructure
    let after: PDFStructure
    let allowance: Allowance
    /// The fields the signature being judged locks (FieldMDP): never filled in after it.
    var lock: FieldLock? = nil
    /// A certification signature is in the file: after it, no new signature field may be shown on a page
    /// (pyHanko's default; a counter-signer's stamp could otherwise be placed over certified content).
    var certified = false

    static let catalogKeys: Set<String> = ["AcroForm", "DSS", "Extensions", "Metadata"]
    static let signatureFieldKeys: Set<String> = ["V", "AP", "AS", "MK", "F"]
    static let filledFieldKeys: Set<String> = ["V", "AP", "AS"]

    /// The changes, each a short Vietnamese phrase for the report; empty when there are none.
    func changes() throws -> [String] {
        guard before.root == after.root else { return ["mục lục tài liệu (/Root) được thay bằng đối tượng khác"] }
        var found: [String] = []
        for number in signed.crossReference.entries.keys.sorted() where found.count < 20 {
            let old = signed.entry(number)
            guard old != .free, !sameLocation(number) else { continue }
            try final.budget.spend(1)
            guard final.entry(number) != .free else {
                found.append("đối tượng \(number) bị xóa")
                continue
            }
            // A new generation leaves every `N 0 R` of the signed revision pointing at nothing.
            guard Self.generation(old) == Self.generation(final.entry(number)) else {
                found.append("đối tượng \(number) được thay bằng thế hệ mới")
                continue
            }
            let previous = try signed.object(number)
            let current = try final.object(number)
            guard previous != current else { continue }
            if let change = try judge(number, previous, current) { found.append(change) }
        }
        // What the pages paint that the signed revision did not have: filled in through a reference that
        // pointed at nothing when it was signed, since any object that newly refers to it is a change above.
        for number in after.rendered.sorted() where found.count < 20 && signed.entry(number) == .free && final.entry(number) != .free {
            found.append("nội dung mới, đối tượng \(number)")
        }
        return found
    }

    static func generation(_ entry: PDFCrossReference.Entry) -> Int {
        if case .offset(_, let generation) = entry { return generation }
        return 0
    }

    /// The same place in the file (for a compressed object, the same slot of an unchanged object stream).
    private func sameLocation(_ number: Int) -> Bool {
        switch (signed.entry(number), final.entry(number)) {
        case (.offset(let a, let g), .offset(let b, let h)): a == b && g == h
        case (.compressed(let s, let i), .compressed(let t, let j)): s == t && i == j && signed.entry(s) == final.entry(t)
        default: false
        }
    }

    /// nil when the change is allowed for the part object `number` plays in both revisions.
    private func judge(_ number: Int, _ previous: PDFObject, _ current: PDFObject) throws -> String? {
        let label = Self.label(number, previous)
        // What a page paints has no other role that could excuse a change, whatever else refers to it.
        if before.rendered.contains(number) || after.rendered.contains(number) { return label }
        if signed.crossReference.sectionOffsets.contains(offset(of: number, in: signed)) || isObjectStream(number, previous) {
            return nil  // the signed revision's own cross-reference or object stream, replaced as a whole
        }
        // The form's field list and a page's annotation list, when they are objects of their own (arrays).
        if number == before.fieldsArray, number == after.fieldsArray, case .array(let old) = previous, case .array(let new) = current {
            return try allowedAdditions(old, new, check: newSignatureField) ? nil : label
        }
        if before.annotsArrays.contains(number), after.annotsArrays.contains(number), case .array(let old) = previous,
            case .array(let new) = current
        {
            return try allowedAdditions(old, new, check: newSignatureWidget) ? nil : label
        }
        guard let old = previous.dictionary, let new = current.dictionary, previous.isStream == current.isStream else { return label }
        if number == before.root.number {
            return try allowed(catalog: old, new) ? nil : "mục lục tài liệu: " + Self.keys(old, new)
        }
        if number == before.acroForm, number == after.acroForm { return try allowed(form: old, new) ? nil : "biểu mẫu (/AcroForm): " + Self.keys(old, new) }
        if before.pages.contains(number), after.pages.contains(number) {
            guard new.differingKeys(from: old).isSubset(of: ["Annots"]) else { return "trang (\(label)): " + Self.keys(old, new) }
            let annotations = try allowedAdditions(
                try signed.resolve(old["Annots"]).array ?? [], try final.resolve(new["Annots"]).array ?? [], check: newSignatureWidget)
            return annotations ? nil : "trang (\(label)): chú thích mới không phải chữ ký"
        }
        if let field = before.fields[number], let now = after.fields[number], field.type == now.type {
            return try allowed(field: field, old, new) ? nil : "trường biểu mẫu \(label): " + Self.keys(old, new)
        }
        if let field = before.appearances[number], after.appearances[number] != nil, allowance == .signingAndFormFilling,
            lock?.locks(field) != true
        {
            return nil
        }
        if before.securityStore.contains(number), after.securityStore.contains(number) { return nil }
        if case .reference(let info) = final.trailer["Info"], info.number == number, signed.trailer["Info"]?.reference == info { return nil }
        // XMP metadata: the catalog's /Metadata in both revisions, a metadata stream in both (an object
        // cannot be made "metadata" by re-pointing the catalog at it).
        if after.catalog["Metadata"]?.reference?.number == number, before.catalog["Metadata"]?.reference?.number == number,
            old["Type"]?.name == "Metadata", new["Type"]?.name == "Metadata"
        {
            return nil
        }
        return label
    }

    private func allowed(catalog old: PDFDictionary, _ new: PDFDictionary) throws -> Bool {
        let keys = new.differingKeys(from: old)
        guard keys.isSubset(of: Self.catalogKeys) else { return false }
        if keys.contains("AcroForm") {
            let previous = try signed.dictionary(old["AcroForm"]) ?? PDFDictionary()
            guard let current = try final.dictionary(new["AcroForm"]), try allowed(form: previous, current) else { return false }
        }
        if keys.contains("DSS") {
            guard let store = try final.dictionary(new["DSS"]), Set(store.entries.keys).isSubset(of: ["Type", "Certs", "CRLs", "OCSPs", "VRI"])
            else { return false }
        }
        return true
    }

    private func allowed(form old: PDFDictionary, _ new: PDFDictionary) throws -> Bool {
        var keys: Set<String> = ["Fields", "SigFlags"]
        if allowance == .signingAndFormFilling { keys.formUnion(["DR", "DA", "NeedAppearances"]) }
        let changed = new.differingKeys(from: old)
        guard changed.isSubset(of: keys) else { return false }
        guard changed.contains("Fields") else { return true }
        return try allowedAdditions(try signed.resolve(old["Fields"]).array ?? [], try final.resolve(new["Fields"]).array ?? [], check: newSignatureField)
    }

    /// A field that existed: a signature field may be signed (once) and get its appearance; any other
    /// field may be filled in where form filling is allowed.
    private func allowed(field: PDFStructure.FieldNode, _ old: PDFDictionary, _ new: PDFDictionary) throws -> Bool {
        let changed = new.differingKeys(from: old)
        if field.type == "Sig" {
            // Signed already: its appearance and flags are part of what was signed and shown.
            guard old["V"] == nil, changed.isSubset(of: Self.signatureFieldKeys) else { return false }
            // An empty field changes its look only by being signed: else its box could paint anything.
            guard let value = new["V"] else { return changed.isEmpty }
            return try signatureValue(value)
        }
        if let lock, lock.locks(field.name) { return false }
        return allowance == .signingAndFormFilling && changed.isSubset(of: Self.filledFieldKeys)
    }

    /// Everything that was in the list still is, in any order, and each addition passes `check`.
    private func allowedAdditions(_ old: [PDFObject], _ new: [PDFObject], check: (PDFObject) throws -> Bool) throws -> Bool {
        var remaining: [PDFObject: Int] = [:]
        for item in new { remaining[item, default: 0] += 1 }
        for item in old {
            guard let count = remaining[item], count > 0 else { return false }
            remaining[item] = count - 1
        }
        for (item, count) in remaining where count > 0 {
            guard item.reference.map({ signed.entry($0.number) == .free }) == true, try check(item) else { return false }
        }
        return true
    }

    /// A new signature field: `/FT /Sig`, no actions, and its value (if signed) a signature dictionary.
    private func newSignatureField(_ object: PDFObject) throws -> Bool {
        guard let field = try final.dictionary(object), field["FT"]?.name == "Sig", field["A"] == nil, field["AA"] == nil else { return false }
        // Where only document timestamps may follow, a new field is one, never an empty box for later.
        if allowance == .timestampsOnly, field["V"] == nil { return false }
        for kid in try final.resolve(field["Kids"]).array ?? [] {
            guard let widget = try final.dictionary(kid), widget["Subtype"]?.name == "Widget", widget["A"] == nil, widget["AA"] == nil,
                kid.reference.map({ signed.entry($0.number) == .free }) == true
            else { return false }
            guard try mayShow(widget, signed: field["V"] != nil) else { return false }
        }
        if field["Subtype"]?.name == "Widget" {
            guard try mayShow(field, signed: field["V"] != nil) else { return false }
        }
        return try field["V"].map(signatureValue) ?? true
    }

    /// A new widget on a page: the widget of a signature field (itself, or its `/Parent`). A widget a
    /// reader shows must belong to a signed field of the form, whose signature is then verified: an
    /// unsigned "signature" box could paint anything over the page.
    private func newSignatureWidget(_ object: PDFObject) throws -> Bool {
        guard let widget = try final.dictionary(object), widget["Subtype"]?.name == "Widget", widget["A"] == nil, widget["AA"] == nil
        else { return false }
        let field: PDFDictionary?
        let fieldNumber: Int?
        if widget["FT"] != nil {
            (field, fieldNumber) = (widget, object.reference?.number)
        } else {
            (field, fieldNumber) = (try final.dictionary(widget["Parent"]), widget["Parent"]?.reference?.number)
        }
        guard let field, field["FT"]?.name == "Sig" else { return false }
        guard try Self.isShown(widget, in: final) else { return true }
        guard try mayShow(widget, signed: field["V"] != nil) else { return false }
        guard field["V"] != nil else { return true }  // a blank box for a later signer
        // Shown only as the face of a signature made after the signed revision: a new widget on a field
        // signed before would paint over the page under the old signature's name.
        guard let fieldNumber, after.fields[fieldNumber] != nil else { return false }
        return before.fields[fieldNumber].map { $0.dictionary["V"] == nil } ?? true
    }

    /// Whether a new signature widget may be on the page: hidden ones always; a shown one never after a
    /// certification signature; otherwise the face of a signature, or a blank box for a later signer
    /// (an unsigned box that paints could show anything over the page).
    private func mayShow(_ widget: PDFDictionary, signed: Bool) throws -> Bool {
        guard try Self.isShown(widget, in: final) else { return true }
        if certified { return false }
        return try signed || isBlank(widget)
    }

    /// A widget that paints nothing: no appearance and nothing for a reader to make one from (`/MK`), or
    /// an appearance stream with no content.
    private func isBlank(_ widget: PDFDictionary) throws -> Bool {
        guard let appearance = try final.dictionary(widget["AP"]) else { return widget["MK"] == nil }
        guard case .stream(let normal) = try final.resolve(appearance["N"]), appearance["D"] == nil, appearance["R"] == nil else { return false }
        let content = try PDFStreamDecoder.decode(normal, budget: final.budget)
        return content.allSatisfy(Bytes.isWhitespace)
    }

    /// Whether a reader paints the widget: a /Rect of some area, and neither Hidden (2) nor NoView (32).
    /// Hidden means Hidden (2), or NoView (32) with neither Print (4), which prints it, nor ToggleNoView
    /// (256), which shows it on a pointer; a /Rect that cannot be read counts as shown (a reader may read
    /// it another way), its numbers followed through references as readers do.
    static func isShown(_ widget: PDFDictionary, in revision: PDFRevision) throws -> Bool {
        let flags = try revision.resolve(widget["F"]).integer ?? 0
        if flags & 2 != 0 { return false }
        if flags & 32 != 0, flags & 4 == 0, flags & 256 == 0 { return false }
        let items = try revision.resolve(widget["Rect"]).array ?? []
        let corners = try items.compactMap { item -> Double? in
            switch try revision.resolve(item) {
            case .integer(let value): Double(value)
            case .real(let value): value
            default: nil
            }
        }
        guard corners.count == 4, items.count == 4 else { return true }
        return abs(corners[2] - corners[0]) * abs(corners[3] - corners[1]) > 0
    }

    /// A signature dictionary, not a stream dressed as one; a document timestamp only, where DocMDP 1.
    private func signatureValue(_ object: PDFObject) throws -> Bool {
        guard case .dictionary(let value) = try final.resolve(object), value["ByteRange"] != nil, value["Contents"]?.string != nil else {
            return false
        }
        let type = value["Type"]?.name ?? "Sig"
        if allowance == .timestampsOnly { return type == "DocTimeStamp" }
        return type == "Sig" || type == "DocTimeStamp"
    }

    private func offset(of number: Int, in revision: PDFRevision) -> Int {
        if case .offset(let offset, _) = revision.entry(number) { return offset }
        return -1
    }

    /// An object stream the signed revision's cross-reference data points into, and really one.
    private func isObjectStream(_ number: Int, _ object: PDFObject) -> Bool {
        signed.crossReference.objectStreams.contains(number) && object.isStream && object.dictionary?["Type"]?.name == "ObjStm"
    }

    static func label(_ number: Int, _ object: PDFObject) -> String {
        let type = object.dictionary?["Type"]?.name
        switch (type, object.isStream) {
        case ("Page", _): return "trang, đối tượng \(number)"
        case (_, true): return "nội dung, đối tượng \(number)"
        case (let type?, false): return "đối tượng \(number) (/\(type))"
        default: return "đối tượng \(number)"
        }
    }

    static func keys(_ old: PDFDictionary, _ new: PDFDictionary) -> String {
        new.differingKeys(from: old).sorted().map { "/" + $0 }.joined(separator: ", ")
    }
}
