import Contracts
import Foundation
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// First start: the token key, the agency's root unit and the `admin` account (shared/CONTRACTS.md).
/// The admin password is `IOFFICE_ADMIN_PASSWORD` if set, otherwise random and printed once to the log;
/// either way it must be changed at first login. Later starts change nothing.
enum Bootstrap {
    static func run(accounts: Accounts, settings: ServiceSettings) async throws {
        let logger = accounts.logger
        try await accounts.keyRing.install(
            try await SigningKeyStore.keySet(client: accounts.client, secrets: accounts.secrets, policy: accounts.tokenKeyPolicy, logger: logger))
        try await resealSecondFactors(client: accounts.client, secrets: accounts.secrets, logger: logger)
        let given = settings.environment["IOFFICE_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        let password = given ?? InitialPassword.make()
        let hash = await accounts.hasher.hash(password)
        let created = try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection -> Bool in
            // One instance bootstraps; others wait here and then find the work done.
            try await connection.query("select pg_advisory_xact_lock(hashtext('ioffice.documents.bootstrap'))", logger: logger)
            var root = try await UnitStore.all(on: connection, logger: logger).first { $0.parentId == nil }
            if root == nil {
                let unit = UnitRecord(
                    id: UUID(), parentId: nil, code: settings.agencyCode, name: VietnameseText.clean(settings.agencyName),
                    abbreviation: VietnameseText.clean(settings.agencyAbbreviation), version: 1)
                try await UnitStore.insert(unit, searchKey: VietnameseText.searchKey(unit.name), on: connection, logger: logger)
                try await DirectoryEvents.unitChanged(unit, on: connection, logger: logger)
                root = unit
            }
            let existing = try await connection.query("select 1 from users where username = 'admin'", logger: logger)
            for try await _ in existing { return false }
            let admin = UserRecord(
                id: UUID(), username: "admin", fullName: "Quản trị hệ thống", unitId: root!.id, position: "Quản trị hệ thống",
                roles: [.admin], permissions: [], phone: nil, email: nil, active: true, locked: false, passwordHash: hash,
                mustChangePassword: true, failedLogins: 0, lockedUntil: nil, totpSecret: nil, totpEnabled: false, totpLastStep: nil,
                version: 1)
            try await UserStore.insert(admin, searchKey: VietnameseText.searchKey(admin.fullName), on: connection, logger: logger)
            try await UsageLog.append(
                .userCreated, userID: nil, username: "system", target: "admin", detail: "tài khoản quản trị đầu tiên", address: nil,
                on: connection, logger: logger)
            try await DirectoryEvents.userChanged(admin, on: connection, logger: logger)
            return true
        }
        guard created else { return }
        if given == nil {
            // Printed once, on purpose: the operator needs it for the first login, which forces a change.
            logger.notice(
                "created account admin with a one-time password; it must be changed at first login",
                metadata: ["username": "admin", "password": "\(password)"])
        } else {
            logger.notice("created account admin with IOFFICE_ADMIN_PASSWORD; it must be changed at first login")
        }
    }

    /// Second-factor secrets stored in clear (before sealing) or sealed with a key being rotated out are
    /// sealed with the current key, so the old key can be dropped once a start with the new one is done.
    static func resealSecondFactors(client: PostgresClient, secrets: SecretBox, logger: Logger) async throws {
        try await client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            var due: [(UUID, String)] = []
            for try await (id, stored) in try await connection.query(
                "select id, totp_secret from users where totp_secret is not null for update", logger: logger
            ).decode((UUID, String).self) where !secrets.isCurrent(stored) { due.append((id, stored)) }
            for (id, stored) in due {
                let sealed = try secrets.seal(try secrets.open(stored))
                try await connection.query("update users set totp_secret = \(sealed) where id = \(id)", logger: logger)
            }
            if !due.isEmpty { logger.notice("second-factor secrets sealed with the current key", metadata: ["count": "\(due.count)"]) }
        }
    }
}
