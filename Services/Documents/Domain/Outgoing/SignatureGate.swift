/// Whether the signed final file lets a document be issued: the Signing service's verdict on it
/// (Decree 30/2020: the clerk checks the digital signatures before issuing).
enum SignatureGate {
    enum Verdict: String, Codable, Sendable {
        case pending, passed, indeterminate, failed
    }

    /// `.success(true)` when the clerk's override of an indeterminate verdict was used (it is logged).
    static func check(required: Bool, verdict: Verdict?, override: Bool) -> Result<Bool, WorkflowRefusal> {
        guard required else { return .success(false) }
        switch verdict {
        case nil:
            return .failure(.invalid("Đính kèm tệp văn bản đã ký số trước khi phát hành."))
        case .pending:
            return .failure(.conflict("Đang chờ kết quả xác thực chữ ký số của tệp phát hành; thử lại sau giây lát."))
        case .passed:
            return .success(false)
        case .indeterminate:
            guard override else {
                return .failure(
                    .conflict("Chưa xác định được tính hợp lệ của chữ ký số (ví dụ thiếu dữ liệu thu hồi chứng thư); văn thư cần xác nhận phát hành."))
            }
            return .success(true)
        case .failed:
            return .failure(.conflict("Chữ ký số của tệp phát hành không hợp lệ; không thể phát hành."))
        }
    }
}
