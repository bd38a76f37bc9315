import Contracts
import VietnameseText

/// Text as a phone shows it (the SMS contract): Vietnamese marks removed (`đ/Đ → d/D`), only printable
/// ASCII kept, whitespace folded, at most 160 characters.
enum SmsText {
    static let limit = SmsV1.maximumLength

    /// Typographic punctuation a phone could show in ASCII.
    static let replacements: [Unicode.Scalar: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{201C}": "\"", "\u{201D}": "\"", "\u{2013}": "-", "\u{2014}": "-", "\u{2026}": "...",
    ]

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

    /// A message a person typed: refused when too long after conversion, so they can shorten it.
    static func typed(_ text: String) -> Result<String, TooLong> {
        let converted = convert(text)
        guard converted.count <= limit else { return .failure(TooLong(length: converted.count)) }
        return .success(converted)
    }

    /// A system message: shortened at a word boundary with an ellipsis, never cut mid-word.
    static func system(_ text: String) -> String {
        let converted = convert(text)
        guard converted.count > limit else { return converted }
        var shortened = ""
        for word in converted.split(separator: " ") {
            let candidate = shortened.isEmpty ? String(word) : shortened + " " + word
            guard candidate.count + 3 <= limit else { break }
            shortened = candidate
        }
        // A first word longer than the whole message is the only thing ever cut.
        if shortened.isEmpty { shortened = String(converted.prefix(limit - 3)) }
        return shortened + "..."
    }

    struct TooLong: Error, Equatable {
        var length: Int
        var message: String { "Tin nhắn sau khi bỏ dấu dài \(length) ký tự, vượt quá \(SmsText.limit) ký tự cho phép; hãy rút gọn." }
    }
}
