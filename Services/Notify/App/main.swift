import ServiceKit

// Notify: SMS to the gateway's queue, in-app messages, executive information, news, chat.
let settings = ServiceSettings(name: "notify", defaultPort: 8081)
let registry = ServiceRuntime.bootstrap(settings)
let runtime = try ServiceRuntime(settings: settings, registry: registry)
await runtime.runAsMain(migrations: NotifyMigrations.all, topology: NotifyTopology.topology)
