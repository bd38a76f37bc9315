import Foundation
import ServiceKit
import Testing

@testable import Documents

@Suite("Account rules without a database: lockout, unit tree, user input", .timeLimit(.minutes(1)))
struct AccountDomainTests {
    @Test(arguments: [(4, nil), (5, 60.0), (6, 120.0), (7, 240.0), (12, 3600.0), (40, 3600.0)] as [(Int, Double?)])
    func lockoutDoublesAfterTheFreeAttempts(failures: Int, seconds: Double?) {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(LockoutPolicy().lockedUntil(failures: failures, at: now)?.timeIntervalSince(now) == seconds)
    }

    @Test func aUnitCannotMoveUnderItsOwnDescendant() {
        let (root, office, team) = (UUID(), UUID(), UUID())
        let parents = [office: root, team: office]
        #expect(UnitTree.wouldCycle(moving: office, under: team, parents: parents))
        #expect(UnitTree.wouldCycle(moving: office, under: office, parents: parents))
        #expect(!UnitTree.wouldCycle(moving: team, under: root, parents: parents))
    }

    @Test func userInputIsNormalisedAndEveryProblemReportedAtOnce() throws {
        let decomposed = "  Hoàng   Thị Huỳnh ".decomposedStringWithCanonicalMapping
        let good = try UserInput.check(
            username: "HoangThiHuynh.VP", fullName: decomposed, unitId: UUID(), position: nil,
            roles: ["specialist", "clerk", "clerk"], permissions: ["sms.send"], phone: "0912.345.678", email: " Huynh@Example.VN "
        ).get()
        #expect(good.username == "hoangthihuynh.vp")
        #expect(good.fullName == "Hoàng Thị Huỳnh")
        #expect(good.fullName.unicodeScalars.count == "Hoàng Thị Huỳnh".precomposedStringWithCanonicalMapping.unicodeScalars.count)
        #expect(good.roles == [.clerk, .specialist])
        #expect(good.phone == "+84912345678")
        #expect(good.email == "huynh@example.vn")

        guard case .failure(let problems) = UserInput.check(
            username: "a b", fullName: " ", unitId: UUID(), position: nil, roles: ["boss"], permissions: ["everything"],
            phone: "12345", email: "not-mail")
        else { Issue.record("accepted bad input"); return }
        #expect(problems.items.map(\.field) == ["fullName", "username", "roles", "permissions", "phone", "email"])
    }

    @Test func initialPasswordsPassThePolicyAndDoNotRepeat() {
        var seen: Set<String> = []
        for _ in 0..<200 {
            let password = InitialPassword.make()
            #expect(PasswordPolicy().violations(password: password, username: "x.vp", fullName: "X", currentPassword: nil) == [])
            seen.insert(password)
        }
        #expect(seen.count == 200)
    }
}
