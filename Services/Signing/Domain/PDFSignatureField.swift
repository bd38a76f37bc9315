/// One signature dictionary of a PDF, as found through the file's structure.
struct PDFSignatureField: Equatable, Sendable {
    /// `/ByteRange [a b c d]`: the signed bytes are `a..<a+b` and `c..<c+d`.
    var byteRange: [Int]
    /// The CMS blob of `/Contents`, without its zero padding.
    var contents: [UInt8]
    var subFilter: String
    /// `/Type /DocTimeStamp`: an RFC 3161 timestamp over the document, not a person's signature.
    var isDocumentTimestamp = false
    /// `/M`, the signing time the signer's software claims (PAdES puts it here, not in the CMS), as Unix
    /// seconds.
    var claimedTime: Int?
    /// Whether the signed ranges end at the end of the file.
    var coversWholeFile: Bool
    /// What later revisions changed beyond what signing allows: the objects, for the report.
    var laterChanges: [String]

    /// A document timestamp (`/Type /DocTimeStamp` or `/SubFilter /ETSI.RFC3161`).
    var isTimestamp: Bool { isDocumentTimestamp || subFilter == "ETSI.RFC3161" }
    /// Where the signed revision ends.
    var signedEnd: Int { byteRange[2] + byteRange[3] }

    /// The bytes the signature is over.
    func signedBytes(of file: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteRange[1] + byteRange[3])
        bytes.append(contentsOf: file[byteRange[0]..<byteRange[0] + byteRange[1]])
        bytes.append(contentsOf: file[byteRange[2]..<byteRange[2] + byteRange[3]])
        return bytes
    }
}

/// Why a PDF or one of its signature dictionaries cannot be checked.
enum PDFProblem: Error, Equatable, Sendable {
    case notPDF
    case tooLarge
    /// Past a limit on objects, decoded bytes or time.
    case tooComplex(String)
    /// The cross-reference data, catalog or form cannot be read.
    case structure(String)
    case malformedSignature(String)
}
