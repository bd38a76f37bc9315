import Foundation

/// Lấy ý kiến (PRODUCT §6): someone asks named people, or every member of named units, for their opinion
/// on a question (often about a draft or an arriving document) by a deadline; each asked person answers
/// once (and may correct their answer), the asker sees every answer and who has not answered, each
/// answerer sees their own.
enum OpinionRules {
    static let maximumSubject = 500
    static let maximumText = 10_000
    static let maximumAsked = 500

    static func problems(subject: String, question: String, asked: Int, deadline: Date, now: Date) -> [(field: String, message: String)] {
        var found: [(String, String)] = []
        if subject.isEmpty { found.append(("subject", "Nhập nội dung cần xin ý kiến.")) }
        if subject.count > maximumSubject { found.append(("subject", "Tiêu đề dài quá \(maximumSubject) ký tự.")) }
        if question.count > maximumText { found.append(("question", "Nội dung dài quá \(maximumText) ký tự.")) }
        if asked == 0 { found.append(("askedUserIds", "Chọn người hoặc đơn vị được hỏi ý kiến.")) }
        if asked > maximumAsked { found.append(("askedUserIds", "Hỏi ý kiến tối đa \(maximumAsked) người một lần.")) }
        if deadline <= now { found.append(("deadline", "Hạn trả lời phải sau lúc này.")) }
        return found
    }

    static func answerProblem(_ text: String) -> String? {
        if text.isEmpty { return "Nhập ý kiến." }
        if text.count > maximumText { return "Ý kiến dài quá \(maximumText) ký tự." }
        return nil
    }
}
