/// The tables every service has for reliable messaging: the outbox (events written with the data,
/// relayed after commit) and the inbox (message ids already handled, per consumer).
public enum MessagingMigrations {
    public static let component = "messaging"

    public static let all: [Migration] = [
        Migration(
            version: 1, name: "outbox and inbox",
            statements: [
                """
                create table outbox (
                    id bigserial primary key,
                    message_id uuid not null unique,
                    message_type text not null,
                    exchange text not null,
                    routing_key text not null,
                    body bytea not null,
                    headers text not null default '{}',
                    created_at timestamptz not null default now())
                """,
                """
                create table inbox (
                    consumer text not null,
                    message_id text not null,
                    message_type text,
                    handled_at timestamptz not null default now(),
                    primary key (consumer, message_id))
                """,
            ]),
        Migration(
            version: 2, name: "outbox attempts, parking and commit notification",
            statements: [
                """
                alter table outbox
                    add column attempts int not null default 0,
                    add column next_attempt_at timestamptz not null default now(),
                    add column last_error text
                """,
                "create index outbox_due on outbox (next_attempt_at, id)",
                // Rows the relay gave up on, with the reason; operators list and replay them (deploy/outbox).
                """
                create table outbox_parked (
                    id bigint primary key,
                    message_id uuid not null unique,
                    message_type text not null,
                    exchange text not null,
                    routing_key text not null,
                    body bytea not null,
                    headers text not null,
                    created_at timestamptz not null,
                    attempts int not null,
                    reason text not null,
                    parked_at timestamptz not null default now())
                """,
                // Puts a parked row back in the outbox with fresh attempts; false when there is no such row.
                """
                create function outbox_replay(parked_id bigint) returns boolean language sql as $$
                    with moved as (delete from outbox_parked where id = parked_id returning *),
                    queued as (
                        insert into outbox (message_id, message_type, exchange, routing_key, body, headers, created_at)
                        select message_id, message_type, exchange, routing_key, body, headers, created_at from moved
                        returning 1)
                    select exists (select 1 from queued)
                $$
                """,
                // NOTIFY is delivered at commit: the relay wakes when new rows become visible, not by polling.
                """
                create function outbox_announce() returns trigger language plpgsql as $$
                begin
                    perform pg_notify('ioffice_outbox', '');
                    return null;
                end
                $$
                """,
                "create trigger outbox_announce after insert on outbox for each statement execute function outbox_announce()",
            ]),
    ]
}
