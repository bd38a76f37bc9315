import ServiceKit

/// Calendar's own schema, in order; the outbox and inbox come from ServiceKit's messaging migrations.
enum CalendarMigrations {
    static let all: [Migration] = []
}
