import Contracts
import Foundation
import Testing

@testable import Notify

/// The SMS text rules over real Vietnamese: every vowel with every tone, capitals, đ, punctuation, emoji,
/// and the 160-character limit at its boundary.
@Suite("SMS text for a phone", .timeLimit(.minutes(1)))
struct SmsTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var output: String
        var testDescription: String { input }
    }

    /// Every vowel (a ă â e ê i o ô ơ u ư y) with every tone (none, huyền, sắc, hỏi, ngã, nặng).
    static let vowels: [Case] = [
        .init(input: "a à á ả ã ạ", output: "a a a a a a"), .init(input: "ă ằ ắ ẳ ẵ ặ", output: "a a a a a a"),
        .init(input: "â ầ ấ ẩ ẫ ậ", output: "a a a a a a"), .init(input: "e è é ẻ ẽ ẹ", output: "e e e e e e"),
        .init(input: "ê ề ế ể ễ ệ", output: "e e e e e e"), .init(input: "i ì í ỉ ĩ ị", output: "i i i i i i"),
        .init(input: "o ò ó ỏ õ ọ", output: "o o o o o o"), .init(input: "ô ồ ố ổ ỗ ộ", output: "o o o o o o"),
        .init(input: "ơ ờ ớ ở ỡ ợ", output: "o o o o o o"), .init(input: "u ù ú ủ ũ ụ", output: "u u u u u u"),
        .init(input: "ư ừ ứ ử ữ ự", output: "u u u u u u"), .init(input: "y ỳ ý ỷ ỹ ỵ", output: "y y y y y y"),
        .init(input: "Ă Ằ Ắ Ẳ Ẵ Ặ Ơ Ờ Ớ Ở Ỡ Ợ Ư Ừ Ứ Ử Ữ Ự", output: "A A A A A A O O O O O O U U U U U U"),
    ]

    static let sentences: [Case] = [
        .init(input: "Đồng chí Đặng Thị Hường dự họp lúc 14h00", output: "Dong chi Dang Thi Huong du hop luc 14h00"),
        .init(input: "KHẨN: Ủy ban nhân dân tỉnh đề nghị báo cáo trước 17h!", output: "KHAN: Uy ban nhan dan tinh de nghi bao cao truoc 17h!"),
        .init(input: "Họp giao ban 🗓️ sáng thứ Hai 👍", output: "Hop giao ban sang thu Hai"),
        .init(input: "  Văn bản số 399/UBND-VP,\n\tngày 25/11/2026 (xem “tệp đính kèm”)…  ", output: "Van ban so 399/UBND-VP, ngay 25/11/2026 (xem \"tep dinh kem\")..."),
        .init(input: "Lịch: 08:00–11:30 @ Phòng họp số 2; liên hệ: văn thư.", output: "Lich: 08:00-11:30 @ Phong hop so 2; lien he: van thu."),
    ]

    @Test(arguments: vowels + sentences)
    func vietnameseBecomesPlainASCII(_ rule: Case) {
        let converted = SmsText.convert(rule.input)
        #expect(converted == rule.output)
        #expect(converted.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) })
    }

    @Test func aTypedMessageOfExactly160IsKeptAnd161IsRefusedWithTheCount() throws {
        let exactly = String(repeating: "ă", count: 160)
        #expect(try SmsText.typed(exactly).get() == String(repeating: "a", count: 160))
        // Diacritics do not count: a long Vietnamese text is measured after conversion.
        guard case .failure(let refusal) = SmsText.typed(String(repeating: "đ", count: 161)) else {
            Issue.record("161 characters accepted")
            return
        }
        #expect(refusal == .tooLong(161))
        #expect(refusal.message.contains("161") && refusal.message.contains("160"))
        // Only emoji: nothing a phone can show, so it is refused, not sent empty.
        #expect(SmsText.typed("🗓️👍 🎉") == .failure(.empty))
    }

    @Test func aSystemMessageIsShortenedAtAWordBoundaryWithAnEllipsis() {
        let words = (1...40).map { "Thông báo\($0)" }.joined(separator: " ")
        let shortened = SmsText.system(words)
        #expect(shortened.count <= 160)
        #expect(shortened.hasSuffix("..."))
        let kept = shortened.dropLast(3)
        // Every kept word is whole: the text goes on with a space right after the cut.
        #expect(SmsText.convert(words).hasPrefix(kept + " "))
        #expect(SmsText.system("Họp lúc 9h") == "Hop luc 9h")
        #expect(SmsText.system(String(repeating: "x", count: 200)).count == 160)
    }

    @Test func finalStatesAreNeverLeftAndRepeatsChangeNothing() {
        #expect(SmsState.queued.applying(.sent) == .sent)
        #expect(SmsState.sent.applying(.sent) == nil)
        #expect(SmsState.sent.applying(.delivered) == .delivered)
        #expect(SmsState.delivered.applying(.sent) == nil)
        #expect(SmsState.delivered.applying(.failed) == nil)
        #expect(SmsState.queued.applying(.delivered) == .delivered)
        #expect(SmsState.failed.applying(.delivered) == nil)
        #expect(SmsState.noPhone.applying(.sent) == nil)
        // Our own "expired" gives way to the gateway's word; its "sent" changes nothing.
        #expect(SmsState.expired.applying(.delivered) == .delivered)
        #expect(SmsState.expired.applying(.failed) == .failed)
        #expect(SmsState.expired.applying(.sent) == nil)
    }

    @Test func gsm7ExtensionCharactersCountTwiceAndTheBacktickIsReplaced() {
        #expect(SmsText.units("a[b]") == 6)
        #expect(SmsText.convert("dùng `lệnh` {x}") == "dung 'lenh' {x}")
        // 80 braces are 160 units: one segment exactly; the typed limit counts units, not characters.
        #expect((try? SmsText.typed(String(repeating: "{", count: 80)).get()) != nil)
        #expect(SmsText.typed(String(repeating: "{", count: 81)) == .failure(.tooLong(162)))
        let shortened = SmsText.system(String(repeating: "|", count: 120))
        #expect(SmsText.units(shortened) <= 160)
        #expect(shortened.hasSuffix("..."))
        let words = (1...60).map { "[muc \($0)]" }.joined(separator: " ")
        #expect(SmsText.units(SmsText.system(words)) <= 160)
        #expect(SmsV1(smsId: .init(), to: "+84912345678", text: SmsText.system(words), ttlSeconds: 60).violations(now: .now).isEmpty)
    }

    @Test func aTitleOfOnlyEmojiNeverMakesAnEmptySms() {
        #expect(SmsText.system("🔥🔥🔥") == SmsText.fallback)
        #expect(SmsText.system("   \n\t ") == SmsText.fallback)
        #expect(SmsV1(smsId: .init(), to: "+84912345678", text: "  ", ttlSeconds: 60).violations(now: .now).map(\.field) == ["text"])
    }

    @Test func theRateLimitCountsWhatWasSent() {
        let rate = SendingRate(limit: 3, window: 3600)
        #expect((try? rate.allows(2, alreadySent: 1).get()) != nil)
        guard case .failure(let refused) = rate.allows(2, alreadySent: 2) else { Issue.record("over the limit"); return }
        #expect(refused.message.contains("tối đa 3"))
    }
}
