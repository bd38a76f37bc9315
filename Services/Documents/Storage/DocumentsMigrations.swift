import ServiceKit

/// Documents' own schema, in order; the outbox and inbox come from ServiceKit's messaging migrations.
enum DocumentsMigrations {
    static let all: [Migration] = [
        AccountsSchema.migration, CatalogSchema.migration, CatalogSchema.documentTypesSeed, IncomingSchema.migration,
        IncomingSchema.defaultRegisters, IncomingSchema.numberLast, OutgoingSchema.migration, IncomingSchema.senderIdAsSent,
        IncomingSchema.rejectedBodySize, LoginFailureSchema.migration, VerifyRouteSchema.migration,
        TaskStore.migration, DossierStore.migration, PersonalFileStore.migration, WorkingDayAdjustmentEntry.migration, OpinionStore.migration,
    ]
}
