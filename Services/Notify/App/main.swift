import Contracts
import ServiceKit

// Notify: SMS to the gateway's queue, in-app messages with a live stream, from other services'
// notification requests and from people with `sms.send`.
let settings = ServiceSettings(name: "notify", defaultPort: 8081)
let registry = ServiceRuntime.bootstrap(settings)
let runtime = try ServiceRuntime(settings: settings, registry: registry)
let events = InboxEvents(client: runtime.postgres, logger: runtime.logger)
let requests = runtime.worker(queue: NotifyTopology.requestsQueue, handler: RequestHandler(), concurrency: 16)
let directory = runtime.worker(queue: NotifyTopology.directoryQueue, handler: DirectoryHandler())
let reports = runtime.worker(queue: NotifyTopology.reportsQueue, handler: ReportHandler(), concurrency: 4)
await runtime.runAsMain(
    migrations: NotifyMigrations.all, topology: NotifyTopology.topology, workers: [requests, directory, reports],
    background: [events, ExpiryWatch(client: runtime.postgres, logger: runtime.logger)],
    routes: { _, api in
        InboxRoutes(client: runtime.postgres, events: events, logger: runtime.logger).add(to: api)
        SmsRoutes(client: runtime.postgres, logger: runtime.logger).add(to: api)
    })
