import Contracts
import Foundation
import ServiceKit

// Notify: SMS to the gateway's queue, in-app messages with a live stream (from other services'
// notification requests and from people with `sms.send`), executive information, news board, chat.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "bench" {
    exit(await Benchmark.run(Array(CommandLine.arguments.dropFirst(2))))
}
let settings = ServiceSettings(name: "notify", defaultPort: 8081)
let registry = ServiceRuntime.bootstrap(settings)
let runtime = try ServiceRuntime(settings: settings, registry: registry)
let events = InboxEvents(client: runtime.postgres, logger: runtime.logger)
let requests = QueueWorker(
    queue: NotifyTopology.requestsQueue, prefetch: NotifyWorkers.requestsPrefetch, concurrency: NotifyWorkers.requestsConcurrency,
    batchSize: NotifyWorkers.requestsBatch, consumerConnection: runtime.consumerConnection, publisher: runtime.publisher,
    client: runtime.postgres, handler: RequestHandler(),
    producers: Set(["documents", "calendar"].map(settings.brokerUser(of:))), deadLetterExchange: Routes.deadLetterExchange,
    logger: runtime.logger)
let directory = runtime.worker(queue: NotifyTopology.directoryQueue, handler: DirectoryHandler(), producers: ["documents"])
let reports = runtime.worker(queue: NotifyTopology.reportsQueue, handler: ReportHandler(), concurrency: 4)
await runtime.runAsMain(
    migrations: NotifyMigrations.all, topology: NotifyTopology.topology, workers: [requests, directory, reports],
    background: [events, ExpiryWatch(client: runtime.postgres, logger: runtime.logger)],
    routes: { _, api in
        InboxRoutes(client: runtime.postgres, events: events, logger: runtime.logger).add(to: api)
        SmsRoutes(client: runtime.postgres, logger: runtime.logger).add(to: api)
        NoticeRoutes(client: runtime.postgres, logger: runtime.logger).add(to: api)
        NewsRoutes(client: runtime.postgres, logger: runtime.logger).add(to: api)
        UrgentRoutes(client: runtime.postgres, logger: runtime.logger).add(to: api)
        ChatRoutes(client: runtime.postgres, logger: runtime.logger).add(to: api)
    })
