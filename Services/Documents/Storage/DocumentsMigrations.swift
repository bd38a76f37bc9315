import ServiceKit

/// Documents' own schema, in order; the outbox and inbox come from ServiceKit's messaging migrations.
/// Accounts (issue 4) and documents (issues 5, 7) add theirs here.
enum DocumentsMigrations {
    static let all: [Migration] = []
}
