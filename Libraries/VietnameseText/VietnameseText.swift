import Foundation

/// Vietnamese text rules shared by the services: folding to ASCII for SMS, login names and
/// diacritics-insensitive search, and NFC for storage.
public enum VietnameseText {
    /// Removes every tone and vowel mark and turns `đ/Đ` into `d/D`: "Hoàng Thị Huỳnh" → "Hoang Thi Huynh".
    /// Works on NFC and NFD input alike; other characters are kept.
    public static func fold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar {
            case "\u{0300}"..."\u{036F}": continue  // combining marks: tones, breve, circumflex, horn
            case "đ": scalars.append("d")
            case "Đ": scalars.append("D")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The key search compares: folded, lower-cased, runs of whitespace made one space.
    public static func searchKey(_ text: String) -> String {
        fold(text).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Unicode NFC, the form text is stored in.
    public static func nfc(_ text: String) -> String { text.precomposedStringWithCanonicalMapping }

    /// What a name field stores: NFC, trimmed, runs of whitespace made one space.
    public static func clean(_ text: String) -> String {
        nfc(text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
