/// What the final revision's catalog, page tree and interactive form say, read once per file: the
/// signature fields to verify, and which objects play which part, so that a later revision's changes
/// can be judged by the part each changed object plays.
struct PDFStructure {
    struct FieldNode {
        var dictionary: PDFDictionary
        /// `/FT`, inherited from the parents when the node has none.
        var type: String?
        var isWidget: Bool
        /// The fully qualified name (parents' `/T` joined with dots), as FieldMDP names fields.
        var name: String = ""
    }

    struct Signature {
        /// The signature dictionary (`/V` of a signature field) and the object that holds it in the file.
        var dictionary: PDFDictionary
        var holder: Int?
        var fieldName: String
        /// The form fields this signature locks (FieldMDP), if any.
        var lock: FieldLock? = nil
    }

    static let maximumFields = 20_000
    static let maximumPages = 200_000
    /// Each signature costs a revision read, a comparison and a CMS check: more than this is refused.
    static let maximumSignatures = 32

    var root: PDFReference
    var catalog: PDFDictionary
    var acroForm: Int?
    var fieldsArray: Int?
    var fields: [Int: FieldNode] = [:]
    var pages: Set<Int> = []
    /// What the pages paint: every object reachable from their `/Contents` and `/Resources` (fonts,
    /// images, forms and their own resources). No role excuses a change to one of these.
    var rendered: Set<Int> = []
    var annotsArrays: Set<Int> = []
    /// Appearance dictionaries and streams of the fields' widgets (`/AP` and its `/N`, `/D`, `/R`).
    /// Each appearance object, with the fully qualified name of the field it shows.
    var appearances: [Int: String] = [:]
    /// The document security store and its arrays (certificates, CRLs, OCSP responses, VRI).
    var securityStore: Set<Int> = []
    /// The CRLs and OCSP responses (DER) the document security store carries, for revocation checks
    /// (at most 64 of each, 1 MB each).
    var embeddedCRLs: [[UInt8]] = []
    var embeddedOCSPResponses: [[UInt8]] = []
    var signatures: [Signature] = []
    /// `/P` of the certification signature's DocMDP transform (1, 2 or 3); nil when not certified.
    var certificationLevel: Int?

    static func read(_ revision: PDFRevision) throws -> PDFStructure {
        guard let root = revision.root, case .dictionary(let catalog) = try revision.object(root.number), catalog["Type"]?.name == "Catalog"
        else { throw PDFSyntaxError.malformed("không có mục lục tài liệu (/Root)") }
        var structure = PDFStructure(root: root, catalog: catalog)
        let painted = try structure.readPages(revision)
        try structure.readRendered(from: painted, revision)
        try structure.readForm(revision)
        structure.securityStore = try Self.references(in: catalog["DSS"], revision: revision, depth: 3)
        structure.embeddedCRLs = try Self.blobs("CRLs", in: catalog["DSS"], revision: revision)
        structure.embeddedOCSPResponses = try Self.blobs("OCSPs", in: catalog["DSS"], revision: revision)
        structure.certificationLevel = try Self.certificationLevel(catalog, revision: revision)
        return structure
    }

    /// Reads the page tree; returns what its nodes paint with (`/Contents`, and `/Resources` also where
    /// inherited from a parent node).
    private mutating func readPages(_ revision: PDFRevision) throws -> [PDFObject] {
        var painted: [PDFObject] = []
        var visited: Set<Int> = []
        var pending: [(PDFObject, Int)] = [(catalog["Pages"] ?? .null, 0)]
        while let (node, depth) = pending.popLast() {
            guard case .reference(let reference) = node else { throw PDFSyntaxError.malformed("cây trang có nút không phải đối tượng gián tiếp") }
            guard visited.insert(reference.number).inserted, depth < 64, visited.count <= Self.maximumPages else {
                throw PDFSyntaxError.malformed("cây trang lặp hoặc quá lớn")
            }
            guard let dictionary = try revision.dictionary(node) else { throw PDFSyntaxError.malformed("nút cây trang không phải từ điển") }
            painted += [dictionary["Contents"], dictionary["Resources"]].compactMap { $0 }
            if let kids = dictionary["Kids"] {
                guard let list = try revision.resolve(kids).array else { throw PDFSyntaxError.malformed("/Kids của cây trang không phải mảng") }
                pending += list.reversed().map { ($0, depth + 1) }
            } else {
                pages.insert(reference.number)
                if case .reference(let annots) = dictionary["Annots"] { annotsArrays.insert(annots.number) }
            }
        }
        return painted
    }

    /// `rendered`: a walk from every page's `/Contents` and `/Resources`, into stream dictionaries (a form
    /// XObject's resources) but not stream data, each object once.
    private mutating func readRendered(from painted: [PDFObject], _ revision: PDFRevision) throws {
        var pending = painted
        while let item = pending.popLast() {
            try revision.budget.spend(1)
            var object = item
            if case .reference(let reference) = item {
                guard rendered.insert(reference.number).inserted else { continue }
                object = try revision.object(reference.number)
            }
            switch object {
            case .array(let items): pending += items
            case .dictionary(let dictionary): pending += dictionary.entries.values
            case .stream(let stream): pending += stream.dictionary.entries.values
            default: break
            }
        }
    }

    private mutating func readForm(_ revision: PDFRevision) throws {
        guard let form = try revision.dictionary(catalog["AcroForm"]) else { return }
        acroForm = catalog["AcroForm"]?.reference?.number
        fieldsArray = form["Fields"]?.reference?.number
        let top = try revision.resolve(form["Fields"]).array ?? []
        var pending: [(PDFObject, String?, String, Int)] = top.reversed().map { ($0, nil, "", 0) }
        var visited: Set<Int> = []
        var holders: Set<Int> = []
        while let (node, inherited, parentName, depth) = pending.popLast() {
            guard case .reference(let reference) = node, visited.insert(reference.number).inserted, depth < 32,
                visited.count <= Self.maximumFields
            else { throw PDFSyntaxError.malformed("cây trường biểu mẫu lặp, quá lớn hoặc có nút trực tiếp") }
            guard let dictionary = try revision.dictionary(node) else { continue }
            let type = dictionary["FT"]?.name ?? inherited
            let partial = dictionary["T"]?.string.map(PDFText.decode)
            let name = [parentName, partial ?? ""].filter { !$0.isEmpty }.joined(separator: ".")
            fields[reference.number] = FieldNode(
                dictionary: dictionary, type: type, isWidget: dictionary["Subtype"]?.name == "Widget", name: name)
            // Only filled-in fields' appearances may change; a signature's is part of what it shows.
            if type != "Sig" {
                for number in try Self.references(in: dictionary["AP"], revision: revision, depth: 2) { appearances[number] = name }
            }
            if type == "Sig", let value = dictionary["V"] {
                guard case .dictionary(let signature) = try revision.resolve(value) else {
                    throw PDFSyntaxError.malformed("giá trị của trường chữ ký \(name) không phải từ điển chữ ký")
                }
                // One signature, one field: a second field showing a signature already there would be verified
                // again and vouch for whatever its own widget paints.
                let holder = value.reference?.number ?? reference.number
                guard holders.insert(holder).inserted else {
                    throw PDFSyntaxError.malformed("chữ ký \(holder) được dùng cho nhiều trường (\(name))")
                }
                guard holders.count <= Self.maximumSignatures else { throw PDFSyntaxError.tooComplex("tệp có quá nhiều chữ ký") }
                signatures.append(
                    Signature(
                        dictionary: signature, holder: holder, fieldName: name,
                        lock: try FieldLock.of(signature: signature, field: dictionary, revision: revision)))
            }
            if let kids = try revision.resolve(dictionary["Kids"]).array {
                pending += kids.reversed().map { ($0, type, name, depth + 1) }
            }
        }
    }

    /// The numbers of the objects `object` refers to, itself included, `depth` levels down; streams are
    /// not looked into (an appearance's resources are not part of the appearance's role).
    static func references(in object: PDFObject?, revision: PDFRevision, depth: Int) throws -> Set<Int> {
        guard let object else { return [] }
        var found: Set<Int> = []
        if let reference = object.reference { found.insert(reference.number) }
        let resolved = try revision.resolve(object)
        guard depth > 0, !resolved.isStream else { return found }
        for child in resolved.array ?? resolved.dictionary.map({ Array($0.entries.values) }) ?? [] {
            found.formUnion(try references(in: child, revision: revision, depth: depth - 1))
        }
        return found
    }

    /// `/DSS /CRLs` or `/OCSPs`: streams of DER; one that cannot be decoded is skipped, not fatal.
    static func blobs(_ key: String, in store: PDFObject?, revision: PDFRevision) throws -> [[UInt8]] {
        guard let store = try revision.dictionary(store), let list = try revision.resolve(store[key]).array else { return [] }
        return list.prefix(64).compactMap { item in
            guard case .stream(let stream)? = try? revision.resolve(item), let data = try? PDFStreamDecoder.decode(stream, budget: revision.budget)
            else { return nil }
            return data.count <= 1 << 20 ? data : nil
        }
    }

    /// `/Perms /DocMDP` names the certification signature; its `/Reference` holds the DocMDP transform.
    static func certificationLevel(_ catalog: PDFDictionary, revision: PDFRevision) throws -> Int? {
        guard let perms = try revision.dictionary(catalog["Perms"]), let signature = try revision.dictionary(perms["DocMDP"]) else { return nil }
        for reference in try revision.resolve(signature["Reference"]).array ?? [] {
            guard let transform = try revision.dictionary(reference), transform["TransformMethod"]?.name == "DocMDP" else { continue }
            let level = try revision.dictionary(transform["TransformParams"])?["P"]?.integer ?? 2
            return (1...3).contains(level) ? level : 2
        }
        return 2
    }
}
