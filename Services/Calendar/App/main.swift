import ServiceKit

// Calendar: work schedules and meetings.
let settings = ServiceSettings(name: "calendar", defaultPort: 8082)
let registry = ServiceRuntime.bootstrap(settings)
let runtime = try ServiceRuntime(settings: settings, registry: registry)
await runtime.runAsMain(migrations: CalendarMigrations.all, topology: CalendarTopology.topology)
