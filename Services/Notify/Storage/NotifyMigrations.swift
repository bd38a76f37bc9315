import ServiceKit

/// Notify's own schema, in order; the outbox and inbox come from ServiceKit's messaging migrations.
enum NotifyMigrations {
    static let all: [Migration] = []
}
