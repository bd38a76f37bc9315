import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@testable import Notify

/// Notify's lists multiply the page into an offset: past the bound it is a 422, and the service keeps serving.
@Suite("Notify: hostile page numbers", .timeLimit(.minutes(3)))
struct NotifyHostileNumbersTests {
    @Test func aPageNearIntMaxIsAnswered422OnEveryListAndTheServiceKeepsServing() async throws {
        try await withFreshSchema(component: "notify", migrations: NotifyMigrations.all, logger: notifyLogger) { database in
            let harness = try await NotifyHarness(database: database)
            let admin = UUID()
            try await harness.person(admin, "Quản Trị", unit: UUID())
            let token = try await harness.token(admin, name: "Quản Trị", roles: [.admin])
            try await Application(router: harness.router).test(.router) { client in
                for list in ["messages", "sms", "news"] {
                    let response = try await client.call(.get, "/api/v1/\(list)?page=9223372036854775807", token: token)
                    #expect(response.status == .unprocessableContent, "\(list): \(response.status)")
                    let first = try await client.call(.get, "/api/v1/\(list)?page=-1", token: token)
                    #expect(first.status == .ok, "\(list): a page below 1 is the first page")
                }
                #expect(try await client.call(.get, "/api/v1/me", token: token).status == .ok)
            }
        }
    }
}
