import Contracts
import VietnameseText

/// Text as a phone shows it (the SMS contract): Vietnamese marks removed (`đ/Đ → d/D`), only what GSM-7
/// carries kept, whitespace folded, at most 160 GSM-7 units (one segment; `[]{}\~^|` take two).
enum SmsText {
    static let limit = SmsV1.maximumLength

    /// Typographic punctuation a phone could show in ASCII, and the backtick, which GSM-7 lacks.
    static let replacements: [Unicode.Scalar: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{201C}": "\"", "\u{201D}": "\"", "\u{2013}": "-", "\u{2014}": "-", "\u{2026}": "...",
        "`": "'",
    ]

    /// What a system SMS says when its title has nothing a phone can show (only emoji, say): never empty.
    static let fallback = "Ban co thong bao moi tren he thong van phong dien tu."

    static func units(_ text: String) -> Int { SmsV1.gsm7Units(text) }

    /// The converted text, however long.
    static func convert(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in VietnameseText.fold(text).unicodeScalars {
            if let ascii = replacements[scalar] {
                kept.append(contentsOf: ascii.unicodeScalars)
            } else if scalar.properties.isWhitespace {
                kept.append(" ")
            } else if (0x21...0x7E).contains(scalar.value) {
                kept.append(scalar)
            }
            // Anything else (emoji, symbols outside ASCII, control characters) cannot be sent.
        }
        return String(kept).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// A message a person typed: refused when too long or empty after conversion, so they can mend it.
    static func typed(_ text: String) -> Result<String, Refusal> {
        let converted = convert(text)
        guard !converted.isEmpty else { return .failure(.empty) }
        guard units(converted) <= limit else { return .failure(.tooLong(units(converted))) }
        return .success(converted)
    }

    /// A system message: shortened at a word boundary with an ellipsis, never cut mid-word, never empty.
    static func system(_ text: String) -> String {
        let converted = convert(text)
        if converted.isEmpty { return fallback }
        guard units(converted) > limit else { return converted }
        var shortened = ""
        for word in converted.split(separator: " ") {
            let candidate = shortened.isEmpty ? String(word) : shortened + " " + word
            guard units(candidate) + 3 <= limit else { break }
            shortened = candidate
        }
        // A first word longer than the whole message is the only thing ever cut.
        if shortened.isEmpty {
            for scalar in converted.unicodeScalars {
                guard units(shortened) + units(String(scalar)) + 3 <= limit else { break }
                shortened.unicodeScalars.append(scalar)
            }
        }
        return shortened + "..."
    }

    enum Refusal: Error, Equatable {
        case empty
        case tooLong(Int)

        var message: String {
            switch self {
            case .empty: "Tin nhắn không còn ký tự nào gửi được sau khi bỏ dấu; hãy nhập nội dung bằng chữ."
            case .tooLong(let length):
                "Tin nhắn sau khi bỏ dấu dài \(length) ký tự, vượt quá \(SmsText.limit) ký tự cho phép; hãy rút gọn."
            }
        }
    }
}
