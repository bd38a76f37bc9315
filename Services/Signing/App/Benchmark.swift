import COpenSSL
import Foundation
import Logging

/// `signing bench <signed.pdf> <trust-dir> <crl-dir> [rounds]`: verifies the PDF the way the service
/// does (structure, revisions, every signature: `signing.verify_per_s`), then compares, like for like,
/// our CMS check with OpenSSL's own `CMS_verify` in the same process: both get the same signed bytes
/// already cut out of the file, both check the signature, the digest and the whole chain against the
/// CRLs, and both verify each CRL's signature at every check (our load-time CRL cache is off for those
/// rounds, since OpenSSL's store has none): `signing.ratio` is ours over OpenSSL's rate.
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
        let oursOnce = {
            for (cms, content) in pairs where Verdict.of(CMSCheck.verify(signature: cms, content: content, trust: trust)) != .passed {
                failures += 1
            }
        }
        let before = residentBytes()
        // Rounds alternate between the sides, so neither always runs on warmer caches.
        var full = 0.0
        var ours = 0.0
        var openssl = 0.0
        _ = verifier.verify(.pdf(pdf))
        openSSLOnce()
        for _ in 0..<rounds {
            full += measure(1) { _ = verifier.verify(.pdf(pdf)) }
            ioffice_trust_set_crl_cache(trust.handle, 0)
            ours += measure(1, oursOnce)
            ioffice_trust_set_crl_cache(trust.handle, 1)
            openssl += measure(1, openSSLOnce)
        }
        // A crude leak check: resident memory after thousands of verifications stays where it was.
        FileHandle.standardError.write(
            Data("bench: resident memory \(before >> 10) KB before, \((residentBytes()) >> 10) KB after \(rounds * 2) verifications\n".utf8))
        guard failures == 0 else {
            FileHandle.standardError.write(Data("bench: a like-for-like verification failed \(failures) times\n".utf8))
            return 1
        }
        let fullRate = Double(rounds * signatures) / full
        let oursRate = Double(rounds * signatures) / ours
        let opensslRate = Double(rounds * signatures) / openssl
        FileHandle.standardError.write(
            Data("bench: \(pdf.count) bytes, \(signatures) signatures, \(rounds) rounds: full \(String(format: "%.3f", full)) s, CMS \(String(format: "%.3f", ours)) s vs OpenSSL \(String(format: "%.3f", openssl)) s\n".utf8))
        // A hostile 50 MB file with a million objects, after the fixture's signatures.
        var hostileMS = -1
        if let hostile = millionObjects(after: pdf) {
            var verdict = Verdict.failed
            hostileMS = Int(measure(1) { verdict = Verdict.of(verifier.verify(.pdf(hostile))) } * 1000)
            if verdict != .passed { FileHandle.standardError.write(Data("bench: the 50 MB file was judged \(verdict)\n".utf8)) }
        }
        print("signing.verify_per_s: \(Int(fullRate))")
        print("signing.hostile_50mb_ms: \(hostileMS)")
        print("signing.cms_per_s: \(Int(oursRate))")
        print("signing.openssl_per_s: \(Int(opensslRate))")
        print("signing.ratio: \(String(format: "%.2f", oursRate / opensslRate))")
        return 0
    }

    /// `signed` followed by an incremental update of a million unreferenced objects and its
    /// million-line cross-reference table (about 50 MB): a hostile partner's file, for the benchmark
    /// and the tests. nil when `signed` does not end with a `startxref`.
    static func millionObjects(after signed: [UInt8]) -> [UInt8]? {
        guard let previous = try? PDFCrossReference.lastSection(signed, end: signed.count, budget: PDFBudget()) else { return nil }
        var pdf = signed
        pdf.reserveCapacity(52 << 20)
        let first = 1000
        let count = 1_000_000
        var offsets: [Int] = []
        offsets.reserveCapacity(count)
        let body = Array(ascii: " 0 obj\n(padding padding padding)\nendobj\n")
        for number in first..<first + count {
            offsets.append(pdf.count)
            pdf += Array(String(number).utf8)
            pdf += body
        }
        let xref = pdf.count
        pdf += Array(ascii: "xref\n\(first) \(count)\n")
        for offset in offsets {
            let digits = Array(String(offset).utf8)
            pdf += Array(repeating: UInt8(ascii: "0"), count: 10 - digits.count) + digits + Array(ascii: " 00000 n \n")
        }
        pdf += Array(ascii: "trailer\n<< /Size \(first + count) /Root 1 0 R /Prev \(previous) >>\nstartxref\n\(xref)\n%%EOF\n")
        return pdf
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
