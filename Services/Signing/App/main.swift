import ServiceKit

// Signing: verifies digital signatures (CMS, signed PDF) with OpenSSL.
let settings = ServiceSettings(name: "signing", defaultPort: 8083)
let registry = ServiceRuntime.bootstrap(settings)
let runtime = try ServiceRuntime(settings: settings, registry: registry)
await runtime.runAsMain(migrations: SigningMigrations.all, topology: SigningTopology.topology)
