import Contracts
import Foundation
import ServiceKit

// Signing: verifies digital signatures (CMS, signed PDF) with OpenSSL.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "bench" {
    exit(Benchmark.run(Array(CommandLine.arguments.dropFirst(2))))
}
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "verify" {
    exit(VerifyCommand.run(Array(CommandLine.arguments.dropFirst(2))))
}
let settings = ServiceSettings(name: "signing", defaultPort: 8083)
let registry = ServiceRuntime.bootstrap(settings)
let runtime = try ServiceRuntime(settings: settings, registry: registry)
let trust = TrustStore(
    trustDirectory: URL(fileURLWithPath: settings.environment["IOFFICE_SIGNING_TRUST_DIR"] ?? ".local/signing/trust"),
    crlDirectory: URL(fileURLWithPath: settings.environment["IOFFICE_SIGNING_CRL_DIR"] ?? ".local/signing/crl"), logger: runtime.logger)
let pool = VerificationPool(verifier: SignatureVerifier(trust: trust))
let requests = runtime.worker(
    queue: Routes.signingVerifyQueue, handler: VerifyRequestHandler(pool: pool), concurrency: 2, producers: ["documents"])
await runtime.runAsMain(
    migrations: SigningMigrations.all, topology: SigningTopology.topology, workers: [requests],
    routes: { _, api in SigningRoutes(pool: pool, client: runtime.postgres, logger: runtime.logger).add(to: api) })
