import Contracts
import Logging
import ServiceKit

// Documents: accounts and catalogs, incoming and outgoing documents, the inter-agency traffic.
let settings = ServiceSettings(name: "documents", defaultPort: 8080)
let registry = ServiceRuntime.bootstrap(settings)
let keyRing = TokenKeyRing()
let runtime = try ServiceRuntime(settings: settings, registry: registry) { client in
    TokenVerifier(keys: keyRing.keys, revocation: SessionStore(client: client, logger: Logger(label: "ioffice.documents.sessions")))
}
let accounts = try Accounts(client: runtime.postgres, logger: runtime.logger, settings: settings, keyRing: keyRing)
if accounts.trustedProxies.isEmpty {
    runtime.logger.warning("IOFFICE_TRUSTED_PROXIES is empty: logins through the web front end all count as its one address for the login limits")
}
let us = AgencyRef(code: settings.agencyCode, name: settings.agencyName)
// Several documents at once: each is its own transaction, and only the arrival number is taken in order.
// A partner's message may be 64 MiB: at most 8 are held unacked at once (512 MiB), not the default 32.
let inbound = runtime.worker(
    queue: Routes.inboundQueue(of: settings.agencyCode), handler: InboundHandler(us: us), prefetch: 8, concurrency: 8)
// Verdicts of the Signing service on our files.
let events = runtime.worker(queue: DocumentsTopology.eventsQueue, handler: EventsHandler(), producers: ["signing"])
await runtime.runAsMain(
    migrations: DocumentsMigrations.all, topology: DocumentsTopology.make(agencyCode: settings.agencyCode), workers: [inbound, events],
    background: [DeadlineWatch(client: runtime.postgres, logger: runtime.logger), TokenKeyRotation(accounts: accounts)],
    startup: { _ in try await Bootstrap.run(accounts: accounts, settings: settings) },
    allowedBeforePasswordChange: AuthRoutes.allowedBeforePasswordChange,
    routes: DocumentsHTTP.routes(accounts: accounts, us: us, settings: settings))
