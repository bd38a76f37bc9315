import COpenSSL
import Foundation
import Logging

/// `signing bench <signed.pdf> <trust-dir> <crl-dir> [rounds]`: verifies every signature of the PDF the
/// way the service does, then has OpenSSL's own `CMS_verify` (chain and CRL checked by its store)
/// verify the same signatures over the same bytes, in the same process; prints per-signature rates.
enum Benchmark {
    static func run(_ arguments: [String]) -> Int32 {
        guard arguments.count >= 3, let file = FileManager.default.contents(atPath: arguments[0]) else {
            FileHandle.standardError.write(Data("usage: signing bench <signed.pdf> <trust-dir> <crl-dir> [rounds]\n".utf8))
            return 2
        }
        let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let store = TrustStore(
            trustDirectory: URL(fileURLWithPath: arguments[1]), crlDirectory: URL(fileURLWithPath: arguments[2]), logger: logger)
        let verifier = SignatureVerifier(trust: store)
        let pdf = Array(file)
        let check = verifier.verify(.pdf(pdf))
        guard Verdict.of(check) == .passed, let fields = try? PDFSignatureScanner.scan(pdf).fields else {
            FileHandle.standardError.write(Data("bench: the PDF does not verify as passed: \(check.map(\.reasons))\n".utf8))
            return 1
        }
        let signatures = fields.count

        let pairs = fields.map { ($0.contents, $0.signedBytes(of: pdf)) }
        let trust = store.current()
        // OpenSSL's side gets its store once, as a program verifying many documents would.
        guard let baseline = ioffice_baseline_store_new(trust.handle) else { return 1 }
        defer { ioffice_baseline_store_free(baseline) }
        var failures = 0
        let openSSLOnce = {
            for (cms, content) in pairs {
                let ok = cms.withUnsafeBufferPointer { c in
                    content.withUnsafeBufferPointer { d in ioffice_openssl_cms_verify(c.baseAddress, c.count, d.baseAddress, d.count, baseline) }
                }
                if ok != 1 { failures += 1 }
            }
        }
        let before = residentBytes()
        // Rounds alternate between the two sides, so neither always runs on warmer caches.
        var ours = 0.0
        var openssl = 0.0
        _ = verifier.verify(.pdf(pdf))
        openSSLOnce()
        for _ in 0..<rounds {
            ours += measure(1) { _ = verifier.verify(.pdf(pdf)) }
            openssl += measure(1, openSSLOnce)
        }
        // A crude leak check: resident memory after thousands of verifications stays where it was.
        FileHandle.standardError.write(
            Data("bench: resident memory \(before >> 10) KB before, \((residentBytes()) >> 10) KB after \(rounds) verifications\n".utf8))
        guard failures == 0 else {
            FileHandle.standardError.write(Data("bench: OpenSSL's CMS_verify failed \(failures) times\n".utf8))
            return 1
        }
        let oursRate = Double(rounds * signatures) / ours
        let opensslRate = Double(rounds * signatures) / openssl
        FileHandle.standardError.write(
            Data("bench: \(pdf.count) bytes, \(signatures) signatures, \(rounds) rounds: \(String(format: "%.3f", ours)) s vs OpenSSL \(String(format: "%.3f", openssl)) s\n".utf8))
        print("signing.verify_per_s: \(Int(oursRate))")
        print("signing.openssl_per_s: \(Int(opensslRate))")
        print("signing.ratio: \(String(format: "%.2f", oursRate / opensslRate))")
        return 0
    }

    /// The process's resident set, from /proc/self/statm.
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = text.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Seconds for `rounds` runs of `body`.
    static func measure(_ rounds: Int, _ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        for _ in 0..<rounds { body() }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
