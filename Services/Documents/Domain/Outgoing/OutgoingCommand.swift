import Foundation

/// One step on an outgoing document (seed §3, PRODUCT.md §3).
enum OutgoingCommand: Equatable, Sendable {
    /// Chuyển lãnh đạo: the author sends the draft to a leader.
    case submit(to: Reviewer, comment: String?)
    /// Chuyển lãnh đạo khác: the reviewing leader passes it to another leader.
    case forward(to: Reviewer, comment: String?)
    /// A new version of the draft file: by the author while they hold it, or by the reviewing leader.
    case revise(comment: String?)
    /// Trả lại: back to the author with the leader's comments.
    case returnForRevision(comment: String)
    /// Duyệt: a unit leader approves and sends to the head (`sendTo`); the head approves for issuance.
    case approve(sendTo: Reviewer?, comment: String?)
    /// Thu hồi: whoever handed the draft over takes it back while the receiver has not acted.
    case recallDraft
    /// Xóa: the author drops a draft that will not be issued.
    case delete
    /// Phát hành, by a clerk.
    case issue
    /// Thu hồi after issuance, by a clerk; refused once a recipient has acted on it.
    case recallIssued(recipientsActed: [String])
}
