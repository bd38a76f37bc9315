/// Just enough DER to cut a CMS blob out of the zero padding a PDF's /Contents carries.
enum DER {
    /// The length of the DER element at the start of `bytes` (header included), or nil when it does
    /// not start with one that fits.
    static func elementLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2, bytes[0] == 0x30 else { return nil }
        let first = Int(bytes[1])
        if first < 0x80 { return 2 + first <= bytes.count ? 2 + first : nil }
        let count = first & 0x7f
        guard count >= 1, count <= 4, bytes.count >= 2 + count else { return nil }
        var length = 0
        for index in 0..<count { length = length << 8 | Int(bytes[2 + index]) }
        let total = 2 + count + length
        return total <= bytes.count ? total : nil
    }
}
