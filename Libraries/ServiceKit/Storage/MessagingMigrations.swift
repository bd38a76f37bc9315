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
            ])
    ]
}
