/// A PDF object as the file writes it (ISO 32000-1 §7.3). Indirect references stay references: two
/// revisions are compared object by object, so a reference is equal to another when it names the same
/// object, whatever that object now holds.
indirect enum PDFObject: Hashable, Sendable {
    case null
    case boolean(Bool)
    case integer(Int)
    case real(Double)
    /// A name, `#xx` escapes decoded, each byte kept as one character (names are bytes, not text).
    case name(String)
    case string([UInt8])
    case array([PDFObject])
    case dictionary(PDFDictionary)
    case reference(PDFReference)
    case stream(PDFStream)

    var dictionary: PDFDictionary? {
        switch self {
        case .dictionary(let value): value
        case .stream(let stream): stream.dictionary
        default: nil
        }
    }

    var array: [PDFObject]? { if case .array(let value) = self { value } else { nil } }
    var name: String? { if case .name(let value) = self { value } else { nil } }
    var integer: Int? { if case .integer(let value) = self { value } else { nil } }
    var reference: PDFReference? { if case .reference(let value) = self { value } else { nil } }
    var string: [UInt8]? { if case .string(let value) = self { value } else { nil } }
    var isStream: Bool { if case .stream = self { true } else { false } }
}

struct PDFReference: Hashable, Sendable, CustomStringConvertible {
    var number: Int
    var generation: Int
    var description: String { "\(number) \(generation) R" }
}

/// A dictionary; a key written twice is refused by the parser (readers disagree on which one wins).
struct PDFDictionary: Hashable, Sendable {
    var entries: [String: PDFObject] = [:]

    subscript(_ key: String) -> PDFObject? { entries[key] }

    /// The keys whose values differ between the two, present in either.
    func differingKeys(from other: PDFDictionary) -> Set<String> {
        Set(entries.keys).union(other.entries.keys).filter { entries[$0] != other.entries[$0] }
    }
}

/// A stream: its dictionary and its raw (still encoded) bytes, a slice of the file that holds it.
struct PDFStream: Hashable, Sendable {
    var dictionary: PDFDictionary
    var data: ArraySlice<UInt8>
}
