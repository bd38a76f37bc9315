/// How much work one file may cost: objects read, bytes inflated, and a deadline. A hostile PDF is
/// refused when it reaches a limit, instead of holding a core for minutes. One per verification, used
/// from one thread.
final class PDFBudget {
    static let maximumValues = 4_000_000
    static let maximumInflated = 256 << 20
    static let maximumStream = 64 << 20

    private var values = 0
    private var inflated = 0
    private let deadline: ContinuousClock.Instant

    init(seconds: Int = 5) { deadline = .now + .seconds(seconds) }

    /// Counts `count` values read; throws past the limit or the deadline (checked every 4,096 values).
    func spend(_ count: Int) throws {
        values += count
        guard values <= Self.maximumValues else { throw PDFSyntaxError.tooComplex("tệp có quá nhiều đối tượng") }
        if values & 0xfff < count, ContinuousClock.now > deadline { throw PDFSyntaxError.tooComplex("phân tích tệp quá thời gian cho phép") }
    }

    /// Room left for decoding one stream.
    var inflateLimit: Int { min(Self.maximumStream, Self.maximumInflated - inflated) }

    func inflatedBytes(_ count: Int) throws {
        inflated += count
        guard inflated <= Self.maximumInflated else { throw PDFSyntaxError.tooComplex("dữ liệu giải nén quá lớn") }
        if ContinuousClock.now > deadline { throw PDFSyntaxError.tooComplex("phân tích tệp quá thời gian cho phép") }
    }
}
