import Testing

@testable import Documents

@Suite("Account rules: login names, phone numbers, passwords", .timeLimit(.minutes(1)))
struct AccountRulesTests {
    @Test func usernameFollowsTheSeed() {
        #expect(UsernameSuggestion.suggest(fullName: "Hoàng Thị Huỳnh", unitSuffix: "LĐLĐ") { _ in false } == "hoangthihuynh.ldld")
    }

    @Test func takenUsernameGetsANumber() {
        let taken: Set = ["hoangthihuynh.ldld", "hoangthihuynh2.ldld"]
        #expect(UsernameSuggestion.suggest(fullName: "Hoàng Thị Huỳnh", unitSuffix: "LĐLĐ") { taken.contains($0) } == "hoangthihuynh3.ldld")
    }

    @Test func nameWithoutLettersGetsNoSuggestion() {
        #expect(UsernameSuggestion.suggest(fullName: " - ", unitSuffix: "VP") { _ in false } == nil)
    }

    @Test(arguments: [
        ("0912 345 678", "+84912345678"), ("84912345678", "+84912345678"), ("+84 912.345.678", "+84912345678"),
        ("(0206) 385 2345", "+842063852345"),
    ])
    func phoneNumbersBecomeE164(typed: String, e164: String) {
        #expect(PhoneNumber(typed)?.e164 == e164)
    }

    @Test(arguments: ["912345678", "0012345678", "09123", "+1 415 555 0100", "0912abc678"])
    func nonVietnameseOrMalformedPhonesAreRefused(typed: String) {
        #expect(PhoneNumber(typed) == nil)
    }

    @Test func goodPasswordIsAccepted() {
        let policy = PasswordPolicy()
        #expect(policy.violations(password: "Mua thu 2026 xanh", username: "hoangthihuynh.ldld", fullName: "Hoàng Thị Huỳnh", currentPassword: "old") == [])
    }

    @Test func passwordRulesSayWhyInVietnamese() {
        let policy = PasswordPolicy()
        #expect(policy.violations(password: "abc1", username: "u.vp", fullName: "A", currentPassword: nil).first == "Mật khẩu phải có ít nhất 10 ký tự.")
        #expect(policy.violations(password: "onlyletterslong", username: "u.vp", fullName: "A", currentPassword: nil) == ["Mật khẩu phải có cả chữ và số."])
        #expect(
            policy.violations(password: "HoangThiHuynh2026", username: "hoangthihuynh.ldld", fullName: "Hoàng Thị Huỳnh", currentPassword: nil)
                .contains("Mật khẩu không được chứa tên đăng nhập."))
        #expect(
            policy.violations(password: "Same pass 123", username: "u.vp", fullName: "A", currentPassword: "Same pass 123")
                == ["Mật khẩu mới phải khác mật khẩu cũ."])
    }
}
