/// A signature's FieldMDP (ISO 32000-1 §12.8.2.4): the form fields whose values it locks, from its
/// `/Reference` transform (`/TransformMethod /FieldMDP`) or else its field's `/Lock` dictionary. A field
/// it locks may not be filled in by a later revision, whatever DocMDP allows.
enum FieldLock: Equatable, Sendable {
    case all
    case include(Set<String>)
    case exclude(Set<String>)

    /// Whether the field of fully qualified name `name` is locked.
    func locks(_ name: String) -> Bool {
        switch self {
        case .all: true
        case .include(let names): names.contains(name)
        case .exclude(let names): !names.contains(name)
        }
    }

    /// From a FieldMDP transform's parameters or a `/Lock` dictionary: `/Action` and `/Fields`.
    static func from(_ parameters: PDFDictionary, revision: PDFRevision) throws -> FieldLock? {
        let names = Set((try revision.resolve(parameters["Fields"]).array ?? []).compactMap { item -> String? in
            guard case .string(let bytes) = try? revision.resolve(item) else { return nil }
            return PDFText.decode(bytes)
        })
        switch try revision.resolve(parameters["Action"]).name {
        case "All": return .all
        case "Include": return .include(names)
        case "Exclude": return .exclude(names)
        default: return nil
        }
    }

    /// The lock of one signature: its own FieldMDP reference first, else its field's `/Lock`.
    static func of(signature: PDFDictionary, field: PDFDictionary, revision: PDFRevision) throws -> FieldLock? {
        for reference in try revision.resolve(signature["Reference"]).array ?? [] {
            guard let transform = try revision.dictionary(reference), transform["TransformMethod"]?.name == "FieldMDP",
                let parameters = try revision.dictionary(transform["TransformParams"])
            else { continue }
            if let lock = try from(parameters, revision: revision) { return lock }
        }
        guard let lock = try revision.dictionary(field["Lock"]) else { return nil }
        return try from(lock, revision: revision)
    }
}
