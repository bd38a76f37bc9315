import Contracts
import Foundation

/// The rules of drafting, approving and issuing an outgoing document: a pure state machine. Handlers
/// load the case, call `apply`, and persist the result with the history line in one transaction.
enum OutgoingWorkflow {
    struct Transition: Equatable, Sendable {
        var next: OutgoingCase
        /// The history line: a stable action name and the actor's comment.
        var action: String
        var comment: String?
    }

    static func apply(_ command: OutgoingCommand, by actor: OutgoingActor, to current: OutgoingCase) -> Result<Transition, WorkflowRefusal> {
        if current.state == .deleted { return .failure(.conflict("Dự thảo đã bị xóa.")) }
        switch command {
        case .submit(let reviewer, let comment):
            guard [.draft, .returned].contains(current.state) else { return .failure(.conflict("Dự thảo đã được trình.")) }
            guard actor.id == current.author else { return .failure(.forbidden("Chỉ người soạn thảo trình dự thảo của mình.")) }
            return handOver(current, to: reviewer, by: actor, action: "submitted", comment: comment)
        case .forward(let reviewer, let comment):
            guard let holding = holding(current, actor) else { return .failure(notYours(current)) }
            return handOver(holding, to: reviewer, by: actor, action: "forwarded", comment: comment)
        case .revise(let comment):
            if [.draft, .returned].contains(current.state), actor.id == current.author {
                return .success(Transition(next: current, action: "revised", comment: comment))
            }
            guard var next = holding(current, actor) else { return .failure(notYours(current)) }
            next.holderActed = true
            return .success(Transition(next: next, action: "revised", comment: comment))
        case .returnForRevision(let comment):
            guard var next = holding(current, actor) else { return .failure(notYours(current)) }
            guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return .failure(.invalid("Ghi ý kiến để người soạn thảo biết cần sửa gì."))
            }
            next.state = .returned
            next.holder = current.author
            next.sentBy = actor.id
            next.holderActed = false
            return .success(Transition(next: next, action: "returned", comment: comment))
        case .approve(let sendTo, let comment):
            guard var next = holding(current, actor) else { return .failure(notYours(current)) }
            if actor.roles.contains(.head) {
                next.state = .approved
                next.holder = nil
                next.sentBy = actor.id
                next.holderActed = false
                return .success(Transition(next: next, action: "approved", comment: comment))
            }
            guard let head = sendTo else { return .failure(.invalid("Chọn thủ trưởng cơ quan để trình duyệt.")) }
            guard head.roles.contains(.head) else { return .failure(.invalid("Người được trình duyệt phải là thủ trưởng cơ quan.")) }
            return handOver(next, to: head, by: actor, action: "approvedByUnit", comment: comment)
        case .recallDraft:
            guard current.state == .inReview || current.state == .returned, current.sentBy == actor.id, current.holder != actor.id else {
                return .failure(.forbidden("Chỉ người đã chuyển dự thảo mới thu hồi được."))
            }
            guard !current.holderActed else { return .failure(.conflict("Người nhận đã xử lý dự thảo, không thể thu hồi.")) }
            var next = current
            next.state = actor.id == current.author ? .draft : .inReview
            next.holder = actor.id
            next.sentBy = nil
            next.holderActed = false
            return .success(Transition(next: next, action: "recalled", comment: nil))
        case .delete:
            // Its author, while it is with them; or (seed §3.2) the leader it was sent to, who decides it
            // will not be issued.
            let leaderHolding = actor.isLeader && current.holder == actor.id && current.state == .inReview
            guard actor.id == current.author || leaderHolding else {
                return .failure(.forbidden("Chỉ người soạn thảo, hoặc lãnh đạo đang giữ dự thảo, xóa được dự thảo."))
            }
            guard [.draft, .returned].contains(current.state) || leaderHolding, current.number == nil else {
                return .failure(.conflict("Chỉ xóa được dự thảo đang ở chỗ người soạn thảo (hoặc lãnh đạo đang xem) và chưa phát hành."))
            }
            var next = current
            next.state = .deleted
            next.holder = nil
            return .success(Transition(next: next, action: "deleted", comment: nil))
        case .issue:
            guard actor.roles.contains(.clerk) else { return .failure(.forbidden("Chỉ văn thư phát hành văn bản.")) }
            guard [.approved, .recalled].contains(current.state) else {
                return .failure(.conflict(current.state == .issued ? "Văn bản đã được phát hành." : "Văn bản chưa được thủ trưởng duyệt ban hành."))
            }
            var next = current
            next.state = .issued
            next.holder = nil
            return .success(Transition(next: next, action: current.state == .recalled ? "reissued" : "issued", comment: nil))
        case .recallIssued(let acted):
            guard actor.roles.contains(.clerk) else { return .failure(.forbidden("Chỉ văn thư thu hồi văn bản đã phát hành.")) }
            guard current.state == .issued else { return .failure(.conflict("Văn bản chưa phát hành hoặc đã được thu hồi.")) }
            guard acted.isEmpty else {
                return .failure(
                    .conflict("Không thể thu hồi: nơi nhận đã xử lý văn bản (\(acted.joined(separator: ", "))). Đề nghị ban hành văn bản đính chính."))
            }
            var next = current
            next.state = .recalled
            return .success(Transition(next: next, action: "recalledAfterIssue", comment: nil))
        }
    }

    /// The case when the actor is the leader reviewing it, else nil.
    private static func holding(_ current: OutgoingCase, _ actor: OutgoingActor) -> OutgoingCase? {
        current.state == .inReview && current.holder == actor.id && actor.isLeader ? current : nil
    }

    private static func notYours(_ current: OutgoingCase) -> WorkflowRefusal {
        current.state == .inReview ? .forbidden("Dự thảo không ở chỗ bạn để xử lý.") : .conflict("Dự thảo không ở bước trình duyệt.")
    }

    private static func handOver(
        _ current: OutgoingCase, to reviewer: Reviewer, by actor: OutgoingActor, action: String, comment: String?
    ) -> Result<Transition, WorkflowRefusal> {
        guard reviewer.isLeader else { return .failure(.invalid("Chỉ trình dự thảo cho lãnh đạo đơn vị hoặc thủ trưởng cơ quan.")) }
        guard reviewer.id != actor.id else { return .failure(.invalid("Không thể tự trình cho chính mình.")) }
        var next = current
        next.state = .inReview
        next.holder = reviewer.id
        next.sentBy = actor.id
        next.holderActed = false
        return .success(Transition(next: next, action: action, comment: comment))
    }
}
