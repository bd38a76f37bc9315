import Foundation
import Logging
import PostgresNIO
import ServiceKit
import VietnameseText

/// Realistic incoming documents for the search benchmark: subjects, senders and signers as Vietnamese
/// agencies write them, combined deterministically so every run searches the same corpus.
enum Corpus {
    static let kinds = ["V/v", "Về việc", "Kế hoạch", "Báo cáo", "Thông báo", "Quyết định", "Tờ trình", "Hướng dẫn", "Chương trình"]
    static let topics = [
        "triển khai phần mềm quản lý văn bản điện tử", "tổ chức hội nghị cán bộ, công chức, viên chức", "phòng, chống dịch bệnh",
        "kiểm tra công tác tài chính, ngân sách", "tuyển dụng viên chức", "đẩy mạnh cải cách hành chính", "chuyển đổi số",
        "bảo đảm trật tự an toàn giao thông", "xây dựng nông thôn mới", "thực hiện chính sách bảo hiểm xã hội",
        "công tác phòng cháy chữa cháy", "giảm nghèo bền vững", "đào tạo, bồi dưỡng cán bộ", "quản lý đất đai", "bầu cử đại biểu Hội đồng nhân dân",
        "thi đua, khen thưởng", "phát triển du lịch cộng đồng", "quản lý, sử dụng tài sản công", "tiếp công dân, giải quyết khiếu nại",
        "phòng, chống thiên tai", "an toàn thực phẩm", "chăm lo Tết cho đoàn viên, người lao động", "thành lập công đoàn cơ sở",
    ]
    static let places = [
        "tỉnh Cao Bằng", "huyện Hòa An", "thành phố Cao Bằng", "huyện Trùng Khánh", "huyện Bảo Lạc", "huyện Quảng Hòa", "huyện Hà Quảng",
        "huyện Nguyên Bình", "huyện Thạch An", "huyện Hạ Lang",
    ]
    static let senders = [
        "Ủy ban nhân dân tỉnh Cao Bằng", "Sở Nội vụ tỉnh Cao Bằng", "Sở Tài chính tỉnh Cao Bằng", "Tổng Liên đoàn Lao động Việt Nam",
        "Sở Y tế tỉnh Cao Bằng", "Công an tỉnh Cao Bằng", "Ủy ban nhân dân huyện Hòa An", "Sở Giáo dục và Đào tạo",
    ]
    static let signers = [
        "Trần Công Huân", "Hoàng Thị Huỳnh", "Nông Văn Dền", "Lương Thị Hạnh", "Bế Văn Phúc", "Đàm Quang Vinh", "Nguyễn Thị Thu Hà",
        "Phạm Văn Đức", "Lê Minh Tuấn", "Vi Thị Mai",
    ]

    static func subject(_ i: Int) -> String {
        "\(kinds[i % kinds.count]) \(topics[(i / 7) % topics.count]) trên địa bàn \(places[(i / 3) % places.count]) năm \(2019 + i % 8)"
    }

    static func signer(_ i: Int) -> String { signers[(i / 5) % signers.count] }
    static func sender(_ i: Int) -> String { senders[(i / 11) % senders.count] }

    static func count(databaseURL: String) async throws -> Int {
        try await withClient(databaseURL) { client in
            for try await n in try await client.query("select count(*)::int from incoming_documents").decode(Int.self) { return n }
            return 0
        }
    }

    /// Adds generated documents until the bench database holds `size`; a second run adds none.
    static func fill(databaseURL: String, to size: Int) async throws {
        try await withClient(databaseURL) { client in
            var have = 0
            for try await n in try await client.query("select count(*)::int from incoming_documents").decode(Int.self) { have = n }
            guard have < size else { return }
            var register: UUID?
            for try await id in try await client.query("select id from registers where kind = 'incoming' order by code limit 1").decode(UUID.self) {
                register = id
            }
            guard let register else { return }
            FileHandle.standardError.write(Data("bench: adding \(size - have) documents to the search corpus\n".utf8))
            var next = have
            while next < size {
                let batch = Array(next..<min(size, next + 5000))
                let ids = batch.map { _ in UUID() }
                let numbers = batch.map { $0 % 900 + 1 }
                let notations = batch.map { "\(["UBND", "SNV", "STC", "LĐLĐ"][$0 % 4])-\(["VP", "TH", "TC"][$0 % 3])" }
                let subjects = batch.map(subject)
                let signerNames = batch.map(signer)
                let senderNames = batch.map(sender)
                let searchTexts = batch.indices.map { k in
                    ["\(numbers[k])/\(notations[k])", notations[k], subjects[k], senderNames[k], signerNames[k], "Công văn", "vb\(batch[k]).pdf"]
                        .map(VietnameseText.searchKey).joined(separator: " ")
                }
                // Last year's register numbers, so they never meet this year's arrivals.
                let arrival = batch.map { $0 + 1 }
                try await client.query(
                    """
                    insert into incoming_documents (id, register_id, arrival_year, arrival_number, source, sender_name, number, notation,
                        issued_at, document_type, subject, signer_name, urgency, state, search_text, received_at)
                    select id, \(register), 2000, n, 'paper', sender, num, notation, date '2025-01-01' + (n % 365), 'Công văn', subject, signer,
                           'normal', 'finished', search, now() - (n % 700) * interval '1 hour'
                    from unnest(\(ids)::uuid[], \(arrival)::int[], \(senderNames)::text[], \(numbers)::int[], \(notations)::text[],
                                \(subjects)::text[], \(signerNames)::text[], \(searchTexts)::text[])
                         as t(id, n, sender, num, notation, subject, signer, search)
                    """)
                next += batch.count
            }
            try await client.query("analyze incoming_documents")
        }
    }

    static func withClient<T: Sendable>(_ url: String, _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: try DatabaseURL.configuration(url))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
