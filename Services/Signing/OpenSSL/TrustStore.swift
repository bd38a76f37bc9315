import COpenSSL
import Foundation
import Logging
import Synchronization

/// The trust anchors and intermediates (`*.pem` in the trust folder) and the CRLs (in the CRL folder).
/// A file added, changed or removed there is picked up at the next verification, without a restart:
/// the folders' listing (names, sizes, times) is compared at most once a second.
final class TrustStore: Sendable {
    let trustDirectory: URL
    let crlDirectory: URL
    let logger: Logger
    private let state = Mutex<(fingerprint: String, checkedAt: ContinuousClock.Instant?, loaded: Trust?)>(("", nil, nil))

    init(trustDirectory: URL, crlDirectory: URL, logger: Logger) {
        self.trustDirectory = trustDirectory
        self.crlDirectory = crlDirectory
        self.logger = logger
    }

    /// The current trust, reloaded if the folders changed.
    func current() -> Trust {
        let now = ContinuousClock.now
        if let loaded = state.withLock({ s in s.checkedAt.map { now - $0 < .seconds(1) } == true ? s.loaded : nil }) {
            return loaded
        }
        let fingerprint = Self.fingerprint(trustDirectory) + "|" + Self.fingerprint(crlDirectory)
        return state.withLock { s in
            s.checkedAt = now
            if let loaded = s.loaded, s.fingerprint == fingerprint { return loaded }
            let trust = load()
            s.fingerprint = fingerprint
            s.loaded = trust
            return trust
        }
    }

    private func load() -> Trust {
        let trust = Trust()
        var certificates = 0
        var crls = 0
        for file in Self.files(trustDirectory) where file.pathExtension.lowercased() == "pem" {
            guard let data = try? Data(contentsOf: file) else { continue }
            certificates += Int(data.withUnsafeBytes { ioffice_trust_add_certificates(trust.handle, $0.baseAddress, data.count) })
        }
        for file in Self.files(crlDirectory) {
            guard let data = try? Data(contentsOf: file) else { continue }
            crls += Int(data.withUnsafeBytes { ioffice_trust_add_crls(trust.handle, $0.baseAddress, data.count) })
        }
        ioffice_trust_seal(trust.handle)
        logger.info("trust loaded", metadata: ["certificates": "\(certificates)", "crls": "\(crls)"])
        return trust
    }

    static func files(_ directory: URL) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []).sorted { $0.path < $1.path }
    }

    static func fingerprint(_ directory: URL) -> String {
        files(directory).map { file in
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return "\(file.lastPathComponent):\(size):\(modified)"
        }.joined(separator: ",")
    }
}

/// One loaded trust: OpenSSL's store and CRLs, freed when the last verification using it ends.
/// `@unchecked Sendable`: after loading, OpenSSL only reads the store and CRLs, which it allows from
/// several threads at once.
final class Trust: @unchecked Sendable {
    let handle: OpaquePointer

    init() {
        guard let handle = ioffice_trust_new() else { fatalError("OpenSSL could not allocate a certificate store") }
        self.handle = handle
    }

    private init(handle: OpaquePointer) { self.handle = handle }

    /// This trust with the CRLs and OCSP responses (DER) a document carries; itself when there are none.
    func adding(crls: [[UInt8]], ocspResponses: [[UInt8]] = []) -> Trust {
        guard !crls.isEmpty || !ocspResponses.isEmpty else { return self }
        func copies(_ blobs: [[UInt8]]) -> [UnsafeMutableBufferPointer<UInt8>] {
            blobs.map { bytes in
                let copy = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, bytes.count))
                _ = copy.initialize(from: bytes)
                return UnsafeMutableBufferPointer(rebasing: copy[0..<bytes.count])
            }
        }
        let lists = copies(crls)
        let responses = copies(ocspResponses)
        defer { (lists + responses).forEach { $0.deallocate() } }
        let extended = ioffice_trust_with_revocation(
            handle, lists.map { UnsafePointer($0.baseAddress) }, lists.map(\.count), Int32(lists.count),
            responses.map { UnsafePointer($0.baseAddress) }, responses.map(\.count), Int32(responses.count))
        return extended.map(Trust.init(handle:)) ?? self
    }

    deinit { ioffice_trust_free(handle) }
}
