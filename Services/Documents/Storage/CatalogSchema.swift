import ServiceKit

/// The catalogs every later feature uses: document types, fields, registers, other agencies, districts
/// and wards.
enum CatalogSchema {
    static let migration = Migration(
        version: 2, name: "catalogs",
        statements: [
            """
            create table document_types (
                id uuid primary key,
                name text not null,
                abbreviation text,
                is_copy boolean not null default false,
                active boolean not null default true)
            """,
            "create unique index document_types_name on document_types (lower(name))",
            "create unique index document_types_abbreviation on document_types (abbreviation)",
            """
            create table document_fields (
                id uuid primary key,
                code text not null unique,
                name text not null,
                active boolean not null default true)
            """,
            "create unique index document_fields_name on document_fields (lower(name))",
            """
            create table registers (
                id uuid primary key,
                kind text not null check (kind in ('incoming', 'outgoing')),
                code text not null unique,
                name text not null,
                unit_id uuid references units (id) on delete restrict,
                active boolean not null default true)
            """,
            "create unique index registers_name on registers (kind, lower(name))",
            """
            create table agencies (
                id uuid primary key,
                code text not null unique,
                name text not null,
                search_key text not null,
                active boolean not null default true)
            """,
            """
            create table districts (
                id uuid primary key,
                code text not null unique,
                name text not null)
            """,
            """
            create table wards (
                id uuid primary key,
                code text not null unique,
                name text not null,
                district_id uuid not null references districts (id) on delete restrict)
            """,
        ])

    /// The Decree 30/2020 document types, so a fresh install can draft and register at once.
    static let documentTypesSeed = Migration(
        version: 3, name: "Decree 30/2020 document types",
        statements: DocumentTypeCatalog.decree30.map { type in
            "insert into document_types (id, name, abbreviation, is_copy) values (gen_random_uuid(), \(literal(type.name)), \(type.abbreviation.map(literal) ?? "null"), \(type.isCopy))"
        })

    private static func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
