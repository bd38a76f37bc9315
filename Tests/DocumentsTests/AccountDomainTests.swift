import Foundation
import ServiceKit
import Testing

@testable import Documents

@Suite("Account rules without a database: login throttle rules, unit tree, user input", .timeLimit(.minutes(1)))
struct AccountDomainTests {
    @Test(arguments: [(4, 0.0), (5, 1.0), (6, 2.0), (7, 4.0), (14, 512.0), (15, 900.0), (400, 900.0)] as [(Int, Double)])
    func theWaitDoublesAfterTheFreeFailures(failures: Int, seconds: Double) {
        #expect(LoginThrottle().pairRule.delay(after: failures) == seconds)
    }

    @Test func aFailureAfterAnHourOfQuietCountsAsTheFirst() {
        let rule = LoginThrottle().pairRule
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var record: LoginThrottle.Record?
        for _ in 1...6 { record = LoginThrottle.afterFailure(record, rule: rule, at: now) }
        #expect(record?.failures == 6 && record?.nextTry == now.addingTimeInterval(2))
        let later = LoginThrottle.afterFailure(record, rule: rule, at: now.addingTimeInterval(3601))
        #expect(later.failures == 1 && later.nextTry == now.addingTimeInterval(3601))
    }

    @Test(arguments: [
        ("203.0.113.9", "203.0.113.9"), ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"), ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8::1", "2001:db8:0:0::/64"), ("::1", "0:0:0:0::/64"), ("::ffff:192.0.2.7", "192.0.2.7"), ("fe80::1%eth0", "fe80:0:0:0::/64"),
        ("not:an:address::x:y:z:w:v", "not:an:address::x:y:z:w:v"),
    ] as [(String, String)])
    func anIPv6SubscriberIsCountedByItsSlash64(address: String, key: String) {
        #expect(LoginThrottle.addressKey(address) == key)
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
