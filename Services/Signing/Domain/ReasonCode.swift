/// Why a signature is not simply valid: a stable code for programs, a Vietnamese sentence for people,
/// and how much it weighs on the verdict.
enum ReasonCode: String, Codable, Sendable, CaseIterable {
    case malformed
    case noSignatures = "no_signatures"
    case byteRangeInvalid = "byte_range_invalid"
    case digestMismatch = "digest_mismatch"
    case badSignature = "bad_signature"
    case noSignerCertificate = "no_signer_certificate"
    case modifiedAfterSigning = "modified_after_signing"
    case keyUsage = "key_usage"
    case expiredAtSigning = "expired_at_signing"
    case chainInvalid = "chain_invalid"
    case revoked
    case untrustedRoot = "untrusted_root"
    case noRevocationData = "no_revocation_data"
    case revokedAfterSigning = "revoked_after_signing"
    case signingTimeMissing = "signing_time_missing"
    /// The signing time is as the signer claims it; no timestamp token proves it.
    case signingTimeClaimed = "signing_time_claimed"
    case unsupportedSubFilter = "unsupported_subfilter"
    case unsupportedReference = "unsupported_reference"
    /// The certificate's extendedKeyUsage names no purpose for signing documents (TLS only, say).
    case extendedKeyUsage = "extended_key_usage"
    /// Expired (or revoked) by now, and no timestamp proves the signature was made before.
    case expired
    /// The issuer's CRLs are there but none is current (nextUpdate passed).
    case revocationStale = "revocation_stale"
    case timestampInvalid = "timestamp_invalid"
    /// The file passes a limit (objects, decoded size, time) and is refused unchecked.
    case tooComplex = "too_complex"

    enum Weight: Int, Comparable, Sendable {
        case note = 0, indeterminate = 1, failed = 2
        static func < (a: Weight, b: Weight) -> Bool { a.rawValue < b.rawValue }
    }

    var weight: Weight {
        switch self {
        case .malformed, .noSignatures, .byteRangeInvalid, .digestMismatch, .badSignature, .noSignerCertificate,
            .modifiedAfterSigning, .keyUsage, .expiredAtSigning, .chainInvalid, .revoked, .unsupportedReference, .extendedKeyUsage:
            .failed
        case .untrustedRoot, .noRevocationData, .revokedAfterSigning, .signingTimeMissing, .unsupportedSubFilter, .expired, .revocationStale,
            .timestampInvalid, .tooComplex:
            .indeterminate
        case .signingTimeClaimed: .note
        }
    }

    var vietnamese: String {
        switch self {
        case .malformed: "Tệp hoặc chữ ký không đúng định dạng, không kiểm tra được."
        case .noSignatures: "Tài liệu không có chữ ký số nào."
        case .byteRangeInvalid: "Vùng dữ liệu được ký (/ByteRange) không hợp lệ."
        case .digestMismatch: "Nội dung đã bị thay đổi sau khi ký: mã băm không khớp."
        case .badSignature: "Chữ ký không khớp với khóa công khai của người ký."
        case .noSignerCertificate: "Chữ ký không kèm chứng thư số của người ký."
        case .modifiedAfterSigning: "Tài liệu đã bị sửa đổi sau khi ký (không chỉ thêm chữ ký)."
        case .keyUsage: "Chứng thư số không được phép dùng để ký (thiếu mục đích ký số)."
        case .expiredAtSigning: "Chứng thư số không còn hiệu lực tại thời điểm ký đã được chứng thực."
        case .chainInvalid: "Chuỗi chứng thư số không hợp lệ."
        case .revoked: "Chứng thư số đã bị thu hồi trước thời điểm ký."
        case .untrustedRoot: "Chứng thư số không do tổ chức chứng thực tin cậy cấp."
        case .noRevocationData: "Không có danh sách thu hồi (CRL) để kiểm tra tình trạng chứng thư số."
        case .revokedAfterSigning: "Chứng thư số bị thu hồi sau thời điểm ký được khai báo; thời điểm ký chưa được chứng thực."
        case .signingTimeMissing: "Chữ ký không ghi thời điểm ký."
        case .signingTimeClaimed: "Thời điểm ký do người ký khai báo, chưa có dấu thời gian chứng thực."
        case .unsupportedSubFilter: "Kiểu chữ ký trong PDF không được hỗ trợ."
        case .unsupportedReference: "Chưa hỗ trợ kiểm tra tài liệu theo tham chiếu; hãy gửi kèm nội dung."
        case .extendedKeyUsage: "Chứng thư số không dành cho ký văn bản (mục đích sử dụng mở rộng không cho phép ký)."
        case .expired: "Chứng thư số đã hết hiệu lực; không có dấu thời gian chứng thực chữ ký được tạo khi chứng thư còn hiệu lực."
        case .revocationStale: "Danh sách thu hồi (CRL) đã quá hạn cập nhật; chưa xác định được tình trạng chứng thư số."
        case .timestampInvalid: "Dấu thời gian kèm chữ ký không hợp lệ; thời điểm ký chưa được chứng thực."
        case .tooComplex: "Tệp quá lớn hoặc quá phức tạp để kiểm tra trong giới hạn cho phép."
        }
    }
}
