import ServiceKit

/// Units, users, sessions, the usage log and the token signing keys.
enum AccountsSchema {
    static let migration = Migration(
        version: 1, name: "accounts",
        statements: [
            """
            create table units (
                id uuid primary key,
                parent_id uuid references units (id) on delete restrict,
                code text not null unique,
                name text not null,
                abbreviation text not null,
                search_key text not null,
                created_at timestamptz not null default now(),
                updated_at timestamptz not null default now(),
                version bigint not null default 1,
                check (id <> parent_id))
            """,
            // Two units of one parent cannot share a name; the root units share the null parent.
            "create unique index units_sibling_name on units (coalesce(parent_id, '00000000-0000-0000-0000-000000000000'), lower(name))",
            """
            create table users (
                id uuid primary key,
                username text not null unique check (username = lower(username)),
                full_name text not null,
                search_key text not null,
                unit_id uuid not null references units (id) on delete restrict,
                position text not null default '',
                roles text[] not null default '{}',
                permissions text[] not null default '{}',
                phone text,
                email text,
                active boolean not null default true,
                locked boolean not null default false,
                password_hash text not null,
                must_change_password boolean not null default true,
                password_changed_at timestamptz,
                failed_logins integer not null default 0,
                locked_until timestamptz,
                totp_secret text,
                totp_enabled boolean not null default false,
                totp_last_step bigint,
                created_at timestamptz not null default now(),
                updated_at timestamptz not null default now(),
                version bigint not null default 1)
            """,
            "create index users_unit on users (unit_id)",
            """
            create table sessions (
                id uuid primary key,
                user_id uuid not null references users (id) on delete cascade,
                created_at timestamptz not null default now(),
                expires_at timestamptz not null,
                revoked_at timestamptz,
                address text)
            """,
            "create index sessions_user on sessions (user_id)",
            """
            create table usage_log (
                id bigserial primary key,
                at timestamptz not null default now(),
                user_id uuid,
                username text not null,
                action text not null,
                target text,
                detail text,
                address text)
            """,
            "create index usage_log_at on usage_log (at)",
            "create index usage_log_username on usage_log (username, at)",
            // Append-only: the table refuses to change what it recorded, whoever asks.
            """
            create function usage_log_append_only() returns trigger language plpgsql as $$
            begin
                raise exception 'usage_log is append-only';
            end $$
            """,
            """
            create trigger usage_log_append_only before update or delete or truncate on usage_log
            for each statement execute function usage_log_append_only()
            """,
            """
            create table signing_keys (
                kid text primary key,
                private_key bytea not null,
                created_at timestamptz not null default now())
            """,
        ])
}
