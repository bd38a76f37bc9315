/// Số, ký hiệu of an outgoing document (Decree 30/2020, Appendix I): `12/QĐ-UBND` for a typed
/// document, `399/LĐLĐ-VP` for a Công văn, which carries the drafting unit instead of a type.
enum DocumentSymbol {
    /// Ký hiệu, without the number: `QĐ-UBND`, `LĐLĐ-VP`.
    static func notation(typeAbbreviation: String?, agency: String, draftingUnit: String?) -> String {
        if let type = typeAbbreviation, !type.isEmpty { return "\(type)-\(agency)" }
        guard let unit = draftingUnit, !unit.isEmpty, unit != agency else { return agency }
        return "\(agency)-\(unit)"
    }

    /// Numbers below 10 take a leading zero.
    static func number(_ number: Int) -> String {
        number < 10 ? "0\(number)" : "\(number)"
    }

    static func symbol(number: Int, notation: String) -> String {
        "\(self.number(number))/\(notation)"
    }
}
