/// Where a page may send the browser after login: a path of this site only. Browsers read `//host`,
/// `/\host` and `\\host` as another site, and drop tabs and newlines inside a URL, so anything but a
/// plain absolute path is refused.
public enum LocalRedirect {
    public static func path(_ candidate: String?) -> String? {
        guard let candidate, candidate.count <= 2048, candidate.hasPrefix("/") else { return nil }
        let allowed = candidate.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 0x20 && scalar.value < 0x7F && scalar != "\\"
        }
        guard allowed, !candidate.hasPrefix("//"), !candidate.lowercased().contains("%5c"),
            !candidate.lowercased().hasPrefix("/%2f")
        else { return nil }
        return candidate
    }
}
