import ServiceKit

/// Incoming documents (văn bản đến): the documents, their files, who holds them, their history, the
/// arrival-number counters, and what was refused.
enum IncomingSchema {
    static let migration = Migration(
        version: 4, name: "incoming documents",
        statements: [
            """
            create table register_counters (
                register_id uuid not null references registers (id) on delete restrict,
                year integer not null,
                last_number integer not null,
                primary key (register_id, year))
            """,
            """
            create table incoming_documents (
                id uuid primary key,
                register_id uuid not null references registers (id) on delete restrict,
                arrival_year integer not null,
                arrival_number integer not null,
                source text not null check (source in ('agency', 'paper')),
                sender_code text,
                sender_name text not null,
                sender_document_id uuid,
                content_hash text,
                number integer,
                notation text not null default '',
                issued_at date not null,
                issued_place text not null default '',
                document_type text not null,
                subject text not null,
                signer_name text not null default '',
                signer_position text not null default '',
                urgency text not null,
                paper_copy_follows boolean not null default false,
                sender_due_date date,
                received_at timestamptz not null default now(),
                registered_by uuid references users (id),
                state text not null,
                reported text[] not null default '{}',
                due_at timestamptz,
                finished_at timestamptz,
                search_text text not null,
                search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored,
                unique (register_id, arrival_year, arrival_number),
                unique (sender_code, sender_document_id))
            """,
            "create index incoming_documents_search on incoming_documents using gin (search_vector)",
            "create index incoming_documents_received on incoming_documents (received_at desc)",
            "create index incoming_documents_state on incoming_documents (state)",
            """
            create table incoming_attachments (
                id uuid primary key,
                document_id uuid not null references incoming_documents (id) on delete cascade,
                name text not null,
                content_type text not null,
                size integer not null,
                sha256 text not null,
                data bytea not null,
                added_by uuid references users (id),
                added_at timestamptz not null default now())
            """,
            "create index incoming_attachments_document on incoming_attachments (document_id)",
            """
            create table incoming_assignments (
                id uuid primary key,
                document_id uuid not null references incoming_documents (id) on delete cascade,
                assignee uuid not null references users (id),
                unit_id uuid references units (id),
                role text not null check (role in ('main', 'co', 'info')),
                assigned_by uuid not null references users (id),
                parent_id uuid references incoming_assignments (id),
                instruction text,
                deadline timestamptz,
                assigned_at timestamptz not null,
                state text not null,
                acted boolean not null default false)
            """,
            "create index incoming_assignments_assignee on incoming_assignments (assignee, state)",
            "create index incoming_assignments_document on incoming_assignments (document_id)",
            "create index incoming_assignments_unit on incoming_assignments (unit_id)",
            """
            create table incoming_history (
                id bigserial primary key,
                document_id uuid not null references incoming_documents (id) on delete cascade,
                at timestamptz not null default now(),
                actor_id uuid,
                actor_name text not null,
                action text not null,
                comment text)
            """,
            "create index incoming_history_document on incoming_history (document_id, id)",
            """
            create table rejected_messages (
                id uuid primary key,
                received_at timestamptz not null default now(),
                message_id text,
                message_type text,
                broker_user text,
                sender_code text,
                document_id text,
                reason text not null,
                body bytea not null)
            """,
            """
            create table dossiers (
                id uuid primary key,
                owner_id uuid not null references users (id),
                name text not null,
                created_at timestamptz not null default now())
            """,
            "create unique index dossiers_owner_name on dossiers (owner_id, lower(name))",
            """
            create table dossier_items (
                dossier_id uuid not null references dossiers (id) on delete cascade,
                document_id uuid not null references incoming_documents (id) on delete cascade,
                added_at timestamptz not null default now(),
                primary key (dossier_id, document_id))
            """,
            """
            create table tasks (
                id uuid primary key,
                document_id uuid references incoming_documents (id) on delete cascade,
                title text not null,
                assignee uuid not null references users (id),
                deadline timestamptz,
                created_by uuid not null references users (id),
                created_at timestamptz not null default now(),
                done boolean not null default false)
            """,
            """
            create table deadline_reminders (
                assignment_id uuid not null references incoming_assignments (id) on delete cascade,
                kind text not null,
                sent_at timestamptz not null default now(),
                primary key (assignment_id, kind))
            """,
        ])

    /// One incoming and one outgoing register, so documents can arrive on a fresh install.
    static let defaultRegisters = Migration(
        version: 5, name: "default registers",
        statements: [
            "insert into registers (id, kind, code, name) values (gen_random_uuid(), 'incoming', 'DEN', 'Sổ văn bản đến')",
            "insert into registers (id, kind, code, name) values (gen_random_uuid(), 'outgoing', 'DI', 'Sổ văn bản đi')",
        ])

    /// The arrival number is taken as a registration's last step (the counter stays locked until
    /// commit), so the row exists for a moment without one; every committed row has one.
    static let numberLast = Migration(
        version: 6, name: "arrival number given last",
        statements: ["alter table incoming_documents alter column arrival_number drop not null"])

    /// The sender's document id exactly as it wrote it, echoed in every `status.v1` for that document.
    static let senderIdAsSent = Migration(
        version: 8, name: "sender document id as sent",
        statements: ["alter table incoming_documents add column sender_document_text text"])

    /// A refused message keeps only its first 64 KiB (a partner must not fill our disk with refusals) and
    /// how big it was.
    static let rejectedBodySize = Migration(
        version: 9, name: "refused messages keep their size",
        statements: [
            "alter table rejected_messages add column body_size bigint",
            "create index rejected_messages_received on rejected_messages (received_at)",
        ])
}

/// Verification requests no longer go through the default exchange (its write right is gone): rows
/// written before take the new route.
enum VerifyRouteSchema {
    static let migration = Migration(
        version: 11, name: "verification requests through ioffice.events",
        statements: [
            "update outbox set exchange = 'ioffice.events' where exchange = '' and routing_key = 'signing.verify'",
            "update outbox_parked set exchange = 'ioffice.events' where exchange = '' and routing_key = 'signing.verify'",
        ])
}

/// The login throttle's records, shared by every replica and kept across restarts (`LoginFailureStore`).
enum LoginFailureSchema {
    static let migration = Migration(
        version: 10, name: "login failures",
        statements: [
            """
            create table login_failures (
                kind text not null check (kind in ('pair', 'address', 'code')),
                key text not null,
                failures int not null,
                last_failure timestamptz not null,
                next_try timestamptz not null,
                primary key (kind, key))
            """,
            "create index login_failures_last on login_failures (last_failure)",
        ])
}
