import ServiceKit

/// Signing's own schema, in order; the outbox and inbox come from ServiceKit's messaging migrations.
enum SigningMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "verifications",
            statements: [
                """
                create table verifications (
                    id uuid primary key,
                    request_id uuid not null,
                    result text not null check (result in ('passed', 'indeterminate', 'failed')),
                    document_sha256 text not null,
                    report jsonb not null,
                    requested_by text,
                    created_at timestamptz not null default now())
                """,
                "create index verifications_request on verifications (request_id)",
            ])
    ]
}
