import Foundation
import Logging

/// `signing verify [--trust DIR] [--crl DIR] FILE…`: verifies files offline, the way the service does,
/// and prints one line per file, `<file>: <verdict> <reason codes per signature>` (then the changes a
/// later revision made, if any). For an operator checking a file by hand, and for comparing our
/// verdicts with another validator's. Exit status 0 when every file was read, 2 on a usage error.
enum VerifyCommand {
    static func run(_ arguments: [String]) -> Int32 {
        var trust = ".local/signing/trust"
        var crl = ".local/signing/crl"
        var files: [String] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--trust": guard let value = rest.popFirst() else { return usage() }; trust = value
            case "--crl": guard let value = rest.popFirst() else { return usage() }; crl = value
            default: files.append(argument)
            }
        }
        guard !files.isEmpty else { return usage() }
        var logger = Logger(label: "signing.verify")
        logger.logLevel = .warning
        let verifier = SignatureVerifier(
            trust: TrustStore(trustDirectory: URL(fileURLWithPath: trust), crlDirectory: URL(fileURLWithPath: crl), logger: logger))
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): unreadable")
                continue
            }
            let findings = verifier.verify(.pdf(Array(data)))
            let reasons = findings.map { "[" + $0.reasons.map(\.rawValue).joined(separator: ",") + "]" }.joined(separator: " ")
            let changes = findings.flatMap(\.laterChanges)
            print("\(file): \(Verdict.of(findings).rawValue) \(reasons)" + (changes.isEmpty ? "" : " changes: " + changes.joined(separator: "; ")))
        }
        return 0
    }

    private static func usage() -> Int32 {
        FileHandle.standardError.write(Data("usage: signing verify [--trust DIR] [--crl DIR] FILE.pdf…\n".utf8))
        return 2
    }
}
