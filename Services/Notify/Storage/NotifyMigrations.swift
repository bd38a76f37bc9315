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
            ]),
        Migration(
            version: 2, name: "executive information, news board, chat",
            statements: [
                """
                create table notices (
                    id uuid primary key,
                    sender_id uuid not null,
                    sender_name text not null,
                    on_behalf_of uuid,
                    title text not null,
                    body text not null,
                    created_at timestamptz not null default now())
                """,
                """
                create table notice_recipients (
                    notice_id uuid not null references notices (id) on delete cascade,
                    user_id uuid not null,
                    read_at timestamptz,
                    primary key (notice_id, user_id))
                """,
                "create index notice_recipients_user on notice_recipients (user_id)",
                """
                create table notice_files (
                    id uuid primary key,
                    notice_id uuid not null references notices (id) on delete cascade,
                    name text not null,
                    content_type text not null,
                    size integer not null,
                    data bytea not null)
                """,
                """
                create table notice_replies (
                    id uuid primary key,
                    notice_id uuid not null references notices (id) on delete cascade,
                    user_id uuid not null,
                    user_name text not null,
                    body text not null,
                    created_at timestamptz not null default clock_timestamp())
                """,
                """
                create table notice_delegates (
                    leader_id uuid not null,
                    delegate_id uuid not null,
                    primary key (leader_id, delegate_id))
                """,
                """
                create table news (
                    id uuid primary key,
                    author_id uuid not null,
                    author_name text not null,
                    title text not null,
                    body text not null,
                    created_at timestamptz not null default now(),
                    updated_at timestamptz not null default now(),
                    deleted_at timestamptz)
                """,
                """
                create table news_versions (
                    id bigserial primary key,
                    news_id uuid not null references news (id) on delete cascade,
                    title text not null,
                    body text not null,
                    edited_by uuid not null,
                    edited_by_name text not null,
                    edited_at timestamptz not null default clock_timestamp())
                """,
                """
                create table conversations (
                    id uuid primary key,
                    title text,
                    is_group boolean not null,
                    pair_key text unique,
                    created_by uuid not null,
                    created_at timestamptz not null default now())
                """,
                """
                create table conversation_members (
                    conversation_id uuid not null references conversations (id) on delete cascade,
                    user_id uuid not null,
                    last_read_at timestamptz not null default '-infinity',
                    primary key (conversation_id, user_id))
                """,
                "create index conversation_members_user on conversation_members (user_id)",
                """
                create table chat_messages (
                    id uuid primary key,
                    conversation_id uuid not null references conversations (id) on delete cascade,
                    sender_id uuid not null,
                    sender_name text not null,
                    body text not null,
                    file_name text,
                    file_type text,
                    file_data bytea,
                    created_at timestamptz not null default clock_timestamp())
                """,
                "create index chat_messages_conversation on chat_messages (conversation_id, created_at desc)",
            ]),
        // SMS no longer go through the default exchange (its write right is gone): rows written before
        // take the new route.
        Migration(
            version: 3, name: "sms through ioffice.sms",
            statements: [
                "update outbox set exchange = 'ioffice.sms', routing_key = 'sms.outbound' where exchange = '' and routing_key = 'notify.sms.outbound'",
                "update outbox_parked set exchange = 'ioffice.sms', routing_key = 'sms.outbound' where exchange = '' and routing_key = 'notify.sms.outbound'",
            ]),
        Migration(
            version: 4, name: "urgent notices",
            statements: [
                """
                create table urgent_notices (
                    id uuid primary key,
                    sender_id uuid not null,
                    sender_name text not null,
                    text text not null,
                    until timestamptz not null,
                    created_at timestamptz not null default now())
                """,
                "create index urgent_notices_until on urgent_notices (until)",
                """
                create table urgent_acks (
                    notice_id uuid not null references urgent_notices (id) on delete cascade,
                    user_id uuid not null,
                    at timestamptz not null default now(),
                    primary key (notice_id, user_id))
                """,
            ]),
    ]
}
