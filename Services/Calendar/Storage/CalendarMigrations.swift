import ServiceKit

/// Calendar's own schema, in order; the outbox and inbox come from ServiceKit's messaging migrations.
enum CalendarMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1, name: "directory copy, meetings, work schedules, feeds",
            statements: [
                """
                create table people (
                    user_id uuid primary key,
                    full_name text not null,
                    unit_id uuid not null,
                    roles text[] not null default '{}',
                    active boolean not null,
                    version bigint not null)
                """,
                """
                create table units (
                    unit_id uuid primary key,
                    name text not null,
                    leader_ids uuid[] not null default '{}',
                    active boolean not null default true,
                    version bigint not null)
                """,
                """
                create table meetings (
                    id uuid primary key,
                    organizer_id uuid not null,
                    organizer_name text not null,
                    title text not null,
                    starts_at timestamptz not null,
                    ends_at timestamptz not null check (ends_at > starts_at),
                    room text,
                    place text,
                    chair_id uuid,
                    invitation text not null default '',
                    rrule text,
                    exdates text[] not null default '{}',
                    reminder_minutes integer not null default 60,
                    reminded_until timestamptz,
                    state text not null default 'scheduled' check (state in ('scheduled', 'cancelled')),
                    sequence integer not null default 0,
                    room_override boolean not null default false,
                    created_at timestamptz not null default now(),
                    updated_at timestamptz not null default now())
                """,
                "create index meetings_room on meetings (lower(room), starts_at) where state = 'scheduled'",
                """
                create table meeting_attendees (
                    meeting_id uuid not null references meetings (id) on delete cascade,
                    user_id uuid not null,
                    via_unit uuid,
                    answer text not null default 'pending' check (answer in ('pending', 'attend', 'decline', 'delegate')),
                    reason text,
                    delegate_to uuid,
                    answered_at timestamptz,
                    primary key (meeting_id, user_id))
                """,
                "create index meeting_attendees_user on meeting_attendees (user_id)",
                """
                create table meeting_documents (
                    meeting_id uuid not null references meetings (id) on delete cascade,
                    title text not null,
                    link text not null)
                """,
                """
                create table meeting_log (
                    id bigserial primary key,
                    meeting_id uuid not null references meetings (id) on delete cascade,
                    at timestamptz not null default clock_timestamp(),
                    actor_id uuid,
                    action text not null,
                    detail text)
                """,
                """
                create table schedule_entries (
                    id uuid primary key,
                    scope text not null check (scope in ('person', 'unit', 'leaders', 'agency')),
                    owner_id uuid not null,
                    week date not null,
                    starts_at timestamptz not null,
                    ends_at timestamptz not null check (ends_at >= starts_at),
                    all_day boolean not null default false,
                    place text not null default '',
                    content text not null,
                    in_charge text not null default '',
                    participants text not null default '',
                    preparing_unit text not null default '',
                    notes text not null default '',
                    source_id uuid,
                    created_by uuid not null,
                    created_at timestamptz not null default now(),
                    unique (scope, owner_id, source_id))
                """,
                "create index schedule_entries_range on schedule_entries (scope, owner_id, starts_at)",
                """
                create table schedule_weeks (
                    scope text not null,
                    owner_id uuid not null,
                    week date not null,
                    state text not null check (state in ('draft', 'submitted', 'published')),
                    changed_by uuid not null,
                    changed_at timestamptz not null default now(),
                    sequence integer not null default 0,
                    primary key (scope, owner_id, week))
                """,
                // The feed's secret is its URL: kept as given so the owner can read the URL again, and
                // replaced (the old one dead at once) when revoked.
                """
                create table calendar_feeds (
                    user_id uuid primary key,
                    token text not null unique,
                    created_at timestamptz not null default now())
                """,
            ]),
        // An SMS costs money and reaches a phone: a meeting's reminders go by SMS only if the person who
        // last saved it may send SMS (`sms.send`), as its invitations do.
        Migration(
            version: 2, name: "meetings remember whether their organiser may send SMS",
            statements: ["alter table meetings add column sms_allowed boolean not null default false"]),
    ]
}
