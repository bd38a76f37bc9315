import ServiceKit

// Documents: accounts and catalogs, incoming and outgoing documents, the inter-agency traffic.
let settings = ServiceSettings(name: "documents", defaultPort: 8080)
let registry = ServiceRuntime.bootstrap(settings)
let runtime = try ServiceRuntime(settings: settings, registry: registry)
await runtime.runAsMain(migrations: DocumentsMigrations.all, topology: DocumentsTopology.make(agencyCode: settings.agencyCode))
