import ServiceKit

/// Outgoing documents (văn bản đi): drafts and their file versions, recipients, related documents,
/// history, and the exchange ids other agencies' statuses refer to. Also what issuing needs of
/// incoming documents: internal copies, and signature verdicts on arriving files.
enum OutgoingSchema {
    static let migration = Migration(
        version: 7, name: "outgoing documents",
        statements: [
            """
            create table outgoing_documents (
                id uuid primary key,
                author_id uuid not null references users (id),
                unit_id uuid not null references units (id),
                document_type_id uuid not null references document_types (id),
                type_name text not null,
                type_abbreviation text,
                field_id uuid references document_fields (id),
                subject text not null,
                urgency text not null,
                secret boolean not null default false,
                secrecy text not null default 'none',
                flags text[] not null default '{}',
                due_date date,
                state text not null,
                holder_id uuid references users (id),
                sent_by uuid references users (id),
                holder_acted boolean not null default false,
                register_id uuid references registers (id),
                issue_year integer,
                number integer,
                notation text,
                issued_at date,
                issued_by uuid references users (id),
                signer_name text,
                signer_position text,
                exchange_id uuid,
                issue_count integer not null default 0,
                search_text text not null,
                search_vector tsvector generated always as (to_tsvector('simple', search_text)) stored,
                created_at timestamptz not null default now(),
                updated_at timestamptz not null default now(),
                unique (register_id, issue_year, number))
            """,
            "create index outgoing_documents_search on outgoing_documents using gin (search_vector)",
            "create index outgoing_documents_state on outgoing_documents (state)",
            "create index outgoing_documents_holder on outgoing_documents (holder_id)",
            "create index outgoing_documents_author on outgoing_documents (author_id)",
            """
            create table outgoing_files (
                id uuid primary key,
                document_id uuid not null references outgoing_documents (id) on delete cascade,
                kind text not null check (kind in ('draft', 'final')),
                version integer not null,
                name text not null,
                content_type text not null,
                size integer not null,
                sha256 text not null,
                data bytea not null,
                added_by uuid not null references users (id),
                added_at timestamptz not null default now(),
                verification text check (verification in ('pending', 'passed', 'indeterminate', 'failed')),
                verification_note text)
            """,
            "create index outgoing_files_document on outgoing_files (document_id, kind, version)",
            """
            create table outgoing_recipients (
                id uuid primary key,
                document_id uuid not null references outgoing_documents (id) on delete cascade,
                kind text not null check (kind in ('unit', 'user', 'agency')),
                unit_id uuid references units (id),
                user_id uuid references users (id),
                agency_code text,
                name text not null,
                delivery text not null check (delivery in ('electronic', 'electronicAndPaper', 'paperOnly')),
                incoming_id uuid references incoming_documents (id) on delete set null,
                status text,
                status_note text,
                status_at timestamptz)
            """,
            "create index outgoing_recipients_document on outgoing_recipients (document_id)",
            """
            create table outgoing_related (
                document_id uuid not null references outgoing_documents (id) on delete cascade,
                kind text not null check (kind in ('incoming', 'outgoing')),
                related_id uuid not null,
                primary key (document_id, kind, related_id))
            """,
            """
            create table outgoing_history (
                id bigserial primary key,
                document_id uuid not null references outgoing_documents (id) on delete cascade,
                at timestamptz not null default now(),
                actor_id uuid,
                actor_name text not null,
                action text not null,
                comment text)
            """,
            "create index outgoing_history_document on outgoing_history (document_id, id)",
            "create index outgoing_history_actor on outgoing_history (actor_id)",
            // Every issuance has its own exchange id: a recall and re-issue is a new document for the
            // receiving agency, and late statuses about the old one still find their document.
            """
            create table outgoing_exchanges (
                exchange_id uuid primary key,
                document_id uuid not null references outgoing_documents (id) on delete cascade,
                issue_count integer not null)
            """,
            "alter table incoming_documents drop constraint incoming_documents_source_check",
            "alter table incoming_documents add constraint incoming_documents_source_check check (source in ('agency', 'paper', 'internal'))",
            "alter table incoming_documents add column outgoing_id uuid references outgoing_documents (id) on delete set null",
            "alter table incoming_attachments add column verification text check (verification in ('pending', 'passed', 'indeterminate', 'failed'))",
            "alter table incoming_attachments add column verification_note text",
        ])
}
