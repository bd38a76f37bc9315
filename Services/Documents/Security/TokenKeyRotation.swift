import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Every minute: the token keys again from the database, which makes a new key or deletes a retired one
/// when `TokenKeyPolicy` says so. One replica does the change (the table lock), every replica picks it up
/// within the minute, well inside the two minutes a new key is published before it signs.
struct TokenKeyRotation: Service {
    let accounts: Accounts
    var interval: Duration = .seconds(60)

    func run() async throws {
        try await repeatEvery(interval, what: "token key rotation", logger: accounts.logger) {
            try await accounts.keyRing.install(
                try await SigningKeyStore.keySet(
                    client: accounts.client, secrets: accounts.secrets, policy: accounts.tokenKeyPolicy, logger: accounts.logger))
        }
    }
}
