import ServiceKit

/// Notify's own schema, in order; the outbox and inbox come from ServiceKit's messaging migrations.
enum NotifyMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "directory copy, inbox, sms",
            statements: [
                // People and units as Documents announced them (directory events); the highest version wins.
                """
                create table people (
                    user_id uuid primary key,
                    username text not null,
                    full_name text not null,
                    unit_id uuid not null,
                    phone text,
                    active boolean not null,
                    version bigint not null)
                """,
                """
                create table messages (
                    id uuid primary key,
                    user_id uuid not null,
                    request_id uuid,
                    title text not null,
                    body text not null,
                    link text,
                    created_at timestamptz not null default now(),
                    read_at timestamptz,
                    unique (request_id, user_id))
                """,
                "create index messages_inbox on messages (user_id, created_at desc)",
                """
                create table sms (
                    id uuid primary key,
                    request_id uuid,
                    sender_id uuid,
                    recipient_id uuid not null,
                    phone text,
                    text text not null,
                    state text not null check (state in ('queued', 'sent', 'delivered', 'failed', 'expired', 'noPhone')),
                    error text,
                    ttl_seconds integer not null,
                    created_at timestamptz not null default now(),
                    expires_at timestamptz not null,
                    state_at timestamptz not null default now(),
                    unique (request_id, recipient_id))
                """,
                "create index sms_sender on sms (sender_id, created_at desc)",
                "create index sms_waiting on sms (expires_at) where state = 'queued'",
            ])
    ]
}
