import Foundation
import ServiceKit
import Testing

@testable import Documents

@Suite("Account rules without a database: login throttle, unit tree, user input", .timeLimit(.minutes(1)))
struct AccountDomainTests {
    @Test(arguments: [(4, 0.0), (5, 1.0), (6, 2.0), (7, 4.0), (14, 512.0), (15, 900.0), (400, 900.0)] as [(Int, Double)])
    func theWaitDoublesAfterTheFreeFailures(failures: Int, seconds: Double) {
        #expect(LoginThrottle().pairRule.delay(after: failures) == seconds)
    }

    @Test func anotherAddressIsNeverHeldUpByAnAttackersFailures() {
        var throttle = LoginThrottle()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 1...50 { throttle.failed(username: "admin", address: "10.0.0.66", at: now) }
        #expect(throttle.wait(username: "admin", address: "10.0.0.66", at: now) == 900)
        #expect(throttle.wait(username: "admin", address: "10.0.0.7", at: now) == nil)
        #expect(throttle.wait(username: "admin", address: "10.0.0.66", at: now.addingTimeInterval(901)) == nil)
    }

    @Test func oneAddressSprayingManyNamesWaitsAfterThirty() {
        var throttle = LoginThrottle()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 1...29 { throttle.failed(username: "user\(index)", address: "10.0.0.66", at: now) }
        #expect(throttle.wait(username: "user99", address: "10.0.0.66", at: now) == nil)
        throttle.failed(username: "user30", address: "10.0.0.66", at: now)
        #expect(throttle.wait(username: "user99", address: "10.0.0.66", at: now) == 1)
        #expect(throttle.wait(username: "user99", address: "10.0.0.67", at: now) == nil)
    }

    @Test func theRightPasswordClearsThePairAndOldFailuresAreForgotten() {
        var throttle = LoginThrottle()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 1...5 { throttle.failed(username: "a", address: "x", at: now) }
        throttle.succeeded(username: "a", address: "x")
        #expect(throttle.wait(username: "a", address: "x", at: now) == nil)
        for _ in 1...5 { throttle.failed(username: "b", address: "y", at: now) }
        let later = now.addingTimeInterval(3601)
        throttle.failed(username: "b", address: "y", at: later)
        #expect(throttle.wait(username: "b", address: "y", at: later) == nil)
    }

    @Test(arguments: [
        ("203.0.113.9", "203.0.113.9"), ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"), ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:db8::1", "2001:db8:0:0::/64"), ("::1", "0:0:0:0::/64"), ("::ffff:192.0.2.7", "192.0.2.7"), ("fe80::1%eth0", "fe80:0:0:0::/64"),
        ("not:an:address::x:y:z:w:v", "not:an:address::x:y:z:w:v"),
    ] as [(String, String)])
    func anIPv6SubscriberIsCountedByItsSlash64(address: String, key: String) {
        #expect(LoginThrottle.addressKey(address) == key)
    }

    @Test func wrongCodesMakeTheAccountWaitFromEveryAddress() {
        var throttle = LoginThrottle()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for _ in 1...4 { throttle.codeFailed(username: "giamdoc", at: now) }
        #expect(throttle.codeWait(username: "giamdoc", at: now) == nil)
        throttle.codeFailed(username: "giamdoc", at: now)
        #expect(throttle.codeWait(username: "giamdoc", at: now) == 30)
        #expect(throttle.codeWait(username: "khac", at: now) == nil)
        throttle.codeSucceeded(username: "giamdoc")
        #expect(throttle.codeWait(username: "giamdoc", at: now) == nil)
    }

    @Test func madeUpNamesCannotGrowTheThrottleWithoutBound() {
        var throttle = LoginThrottle()
        throttle.capacity = 1_000
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<5_000 { throttle.failed(username: "n\(index)", address: "a\(index % 3_000)", at: now.addingTimeInterval(Double(index))) }
        #expect(throttle.keyCount <= 2_000)
        // The newest failure is still remembered.
        for _ in 1...4 { throttle.failed(username: "n4999", address: "a1999", at: now.addingTimeInterval(5_000)) }
        #expect(throttle.wait(username: "n4999", address: "a1999", at: now.addingTimeInterval(5_000)) != nil)
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
