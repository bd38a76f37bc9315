import VietnameseText

/// Login names as the seed shows them: the full name without diacritics or spaces, then the unit's
/// suffix (`Hoàng Thị Huỳnh` in LĐLĐ → `hoangthihuynh.ldld`); a number keeps it unique.
enum UsernameSuggestion {
    /// The first free name among `base.suffix`, `base2.suffix`, `base3.suffix`, ...
    static func suggest(fullName: String, unitSuffix: String, isTaken: (String) -> Bool) -> String? {
        let base = letters(fullName)
        let suffix = letters(unitSuffix)
        guard !base.isEmpty else { return nil }
        for number in 1...999 {
            let candidate = (number == 1 ? base : "\(base)\(number)") + (suffix.isEmpty ? "" : ".\(suffix)")
            if !isTaken(candidate) { return candidate }
        }
        return nil
    }

    /// Lower-case ASCII letters and digits of `text`, diacritics folded.
    static func letters(_ text: String) -> String {
        String(VietnameseText.fold(text).lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
    }
}
