import ServiceKit

/// Signing's own schema, in order; the outbox and inbox come from ServiceKit's messaging migrations.
enum SigningMigrations {
    static let all: [Migration] = []
}
