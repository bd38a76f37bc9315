/// Finds a PDF's signatures the way a reader does: the cross-reference data leads to the catalog, its
/// interactive form to the signature fields, and each field's value to its signature dictionary. Each
/// signature's `/ByteRange` is checked against the file (bounds, the gap being exactly its `/Contents`),
/// and what the revisions after the one it covers changed is judged object by object (`RevisionDiff`).
/// Nothing is found by searching the text: an object only counts where the cross-reference data puts it.
enum PDFSignatureScanner {
    static let maximumFile = 64 << 20
    static let maximumContents = 1 << 20

    struct Finding: Equatable, Sendable {
        var fields: [PDFSignatureField]
        /// Signature dictionaries that could not be read, with why.
        var malformed: [String]
        /// CRLs and OCSP responses from the document security store.
        var embeddedCRLs: [[UInt8]] = []
        var embeddedOCSPResponses: [[UInt8]] = []
    }

    static func scan(_ file: [UInt8], budget: PDFBudget = PDFBudget()) throws(PDFProblem) -> Finding {
        guard file.count <= maximumFile else { throw .tooLarge }
        guard file.count >= 8, file[0..<5].elementsEqual(Array(ascii: "%PDF-")) else { throw .notPDF }
        do {
            let final = try PDFRevision(file, end: file.count, budget: budget)
            let structure = try PDFStructure.read(final)
            var fields: [PDFSignatureField] = []
            var malformed: [String] = []
            for signature in structure.signatures {
                do {
                    fields.append(try field(signature, in: file, final: final, structure: structure, budget: budget))
                } catch let error as PDFSyntaxError {
                    if case .tooComplex(let why) = error { throw PDFProblem.tooComplex(why) }
                    malformed.append("\(signature.fieldName): \(error.why)")
                }
            }
            return Finding(
                fields: fields, malformed: malformed, embeddedCRLs: structure.embeddedCRLs,
                embeddedOCSPResponses: structure.embeddedOCSPResponses)
        } catch let problem as PDFProblem {
            throw problem
        } catch PDFSyntaxError.tooComplex(let why) {
            throw .tooComplex(why)
        } catch {
            throw .structure((error as? PDFSyntaxError)?.why ?? "\(error)")
        }
    }

    static func field(_ signature: PDFStructure.Signature, in file: [UInt8], final: PDFRevision, structure: PDFStructure, budget: PDFBudget)
        throws -> PDFSignatureField
    {
        let dictionary = signature.dictionary
        guard let numbers = dictionary["ByteRange"]?.array, numbers.count == 4, let contents = dictionary["Contents"]?.string else {
            throw PDFSyntaxError.malformed("chữ ký thiếu /ByteRange hoặc /Contents")
        }
        let range = numbers.compactMap(\.integer)
        // Every number within the file before any sum, so that no sum can overflow.
        guard range.count == 4, range[0] == 0, range.allSatisfy({ (0...file.count).contains($0) }), range[1] > 0, range[2] > range[1],
            range[3] <= file.count - range[2]
        else { throw PDFSyntaxError.malformed("/ByteRange không hợp lệ hoặc vượt ngoài tệp") }
        // The gap is exactly this dictionary's /Contents hex string, inside the object that holds it.
        let gap = range[1]..<range[2]
        guard file[gap.lowerBound] == UInt8(ascii: "<"), file[gap.upperBound - 1] == UInt8(ascii: ">"),
            let holder = signature.holder, case .offset(let holderOffset, _) = final.entry(holder), holderOffset < gap.lowerBound,
            gap.count - 2 <= 2 * maximumContents, Hex.decode(file, gap.lowerBound + 1..<gap.upperBound - 1) == contents
        else { throw PDFSyntaxError.malformed("/ByteRange không khớp với /Contents của chữ ký") }
        guard let length = DER.elementLength(contents) else { throw PDFSyntaxError.malformed("/Contents không chứa chữ ký CMS") }
        let signedEnd = range[2] + range[3]
        var changes: [String] = []
        if signedEnd != file.count {
            let signed: PDFRevision
            do {
                signed = try PDFRevision(file, end: signedEnd, budget: budget)
            } catch PDFSyntaxError.malformed {
                throw PDFSyntaxError.malformed("chữ ký không bao trùm một phiên bản hoàn chỉnh của tệp")
            }
            let before = try PDFStructure.read(signed)
            changes = try RevisionDiff(
                signed: signed, final: final, before: before, after: structure,
                allowance: .init(certificationLevel: structure.certificationLevel), lock: signature.lock,
                certified: structure.certificationLevel != nil
            ).changes()
        }
        return PDFSignatureField(
            byteRange: range, contents: Array(contents[0..<length]), subFilter: dictionary["SubFilter"]?.name ?? "",
            isDocumentTimestamp: dictionary["Type"]?.name == "DocTimeStamp", claimedTime: dictionary["M"]?.string.flatMap(PDFDate.seconds),
            coversWholeFile: signedEnd == file.count, laterChanges: changes)
    }
}
