import Contracts
import ServiceKit

// Calendar: work schedules and meetings; people and units from the directory events; invitations,
// changes and reminders through Notify's notification requests; an iCalendar feed per person.
let settings = ServiceSettings(name: "calendar", defaultPort: 8082)
let registry = ServiceRuntime.bootstrap(settings)
let runtime = try ServiceRuntime(settings: settings, registry: registry)
let directory = runtime.worker(queue: CalendarTopology.eventsQueue, handler: DirectoryHandler(), producers: ["documents"])
let publicURL = settings.environment["IOFFICE_CALENDAR_PUBLIC_URL"] ?? "http://\(settings.httpHost):\(settings.httpPort)"
await runtime.runAsMain(
    migrations: CalendarMigrations.all, topology: CalendarTopology.topology, workers: [directory],
    background: [ReminderWatch(client: runtime.postgres, logger: runtime.logger)],
    routes: { router, api in
        MeetingRoutes(client: runtime.postgres, logger: runtime.logger).add(to: api)
        ScheduleRoutes(client: runtime.postgres, logger: runtime.logger).add(to: api)
        FeedRoutes(client: runtime.postgres, logger: runtime.logger, publicURL: publicURL).add(public: router, api: api)
    })
