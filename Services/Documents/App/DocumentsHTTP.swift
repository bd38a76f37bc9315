import Contracts
import Hummingbird
import ServiceKit

/// Every Documents route, public and authenticated.
enum DocumentsHTTP {
    static func routes(accounts: Accounts, us: AgencyRef, settings: ServiceSettings) -> ServiceRuntime.RouteBuilder {
        { router, api in
            AuthRoutes(accounts: accounts).add(public: router, api: api)
            UnitRoutes(accounts: accounts).add(to: api)
            UserRoutes(accounts: accounts).add(to: api)
            DirectoryRoutes(accounts: accounts).add(to: api)
            UsageLogRoutes(accounts: accounts).add(to: api)
            TaskRoutes(accounts: accounts).add(to: api)
            DossierRoutes(accounts: accounts).add(to: api)
            PersonalFileRoutes(accounts: accounts).add(to: api)
            OpinionRoutes(accounts: accounts).add(to: api)
            IncomingRoutes(accounts: accounts, us: us).add(to: api)
            OutgoingRoutes(
                accounts: accounts, us: us, agencyAbbreviation: settings.agencyAbbreviation,
                signaturesRequired: settings.environment["IOFFICE_DIGITAL_SIGNATURES"] != "off"
            ).add(to: api)
            CatalogRoutes<DocumentTypeEntry>(client: accounts.client, logger: accounts.logger).add(to: api)
            CatalogRoutes<DocumentFieldEntry>(client: accounts.client, logger: accounts.logger).add(to: api)
            CatalogRoutes<RegisterEntry>(client: accounts.client, logger: accounts.logger).add(to: api)
            CatalogRoutes<AgencyEntry>(client: accounts.client, logger: accounts.logger).add(to: api)
            CatalogRoutes<DistrictEntry>(client: accounts.client, logger: accounts.logger).add(to: api)
            CatalogRoutes<WardEntry>(client: accounts.client, logger: accounts.logger).add(to: api)
            CatalogRoutes<WorkingDayAdjustmentEntry>(client: accounts.client, logger: accounts.logger).add(to: api)
            WorkingDayRoutes(accounts: accounts).add(to: api)
        }
    }
}
