import Foundation
import Testing
import VietnameseText

@Suite("Vietnamese folding for SMS, login names and search", .timeLimit(.minutes(1)))
struct FoldingTests {
    @Test(arguments: [
        ("Hoàng Thị Huỳnh", "Hoang Thi Huynh"),
        ("Liên đoàn Lao động LĐLĐ", "Lien doan Lao dong LDLD"),
        ("Hỏa tốc, Thượng khẩn", "Hoa toc, Thuong khan"),
        ("ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳỷỹỵý", "aaaaa aaaaa eeeee ooooo ooooo uuuuu yyyyy"),
        ("Công văn 399/LĐLĐ-VP", "Cong van 399/LDLD-VP"),
    ])
    func foldingRemovesEveryMark(text: String, folded: String) {
        #expect(VietnameseText.fold(text) == folded)
    }

    @Test func decomposedInputFoldsLikeComposed() {
        let composed = "Thượng khẩn"
        #expect(VietnameseText.fold(composed.decomposedStringWithCanonicalMapping) == VietnameseText.fold(composed))
    }

    @Test func searchKeyIgnoresCaseMarksAndSpacing() {
        #expect(VietnameseText.searchKey("  CÔNG   Văn ") == "cong van")
        #expect(VietnameseText.searchKey("công văn") == VietnameseText.searchKey("cong van"))
    }

    @Test func nfcComposes() {
        let decomposed = "Đề án".decomposedStringWithCanonicalMapping
        #expect(VietnameseText.nfc(decomposed).unicodeScalars.count == "Đề án".precomposedStringWithCanonicalMapping.unicodeScalars.count)
    }
}
