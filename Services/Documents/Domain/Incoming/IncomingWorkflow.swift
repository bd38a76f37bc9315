import Contracts
import Foundation

/// The rules of handling an incoming document (seed §2, PRODUCT.md §2): a pure state machine.
/// `apply` takes the case, a command and its actor, and returns the new case with what to record and
/// which statuses to send the sending agency, or a refusal that says why in Vietnamese. Handlers load
/// the case, call this, and persist the result in one transaction.
enum IncomingWorkflow {
    /// What a step changes.
    struct Transition: Equatable, Sendable {
        var next: IncomingCase
        /// The history line: a stable action name and the actor's comment.
        var action: String
        var comment: String?
        /// Statuses for the sending agency, in order (none for paper documents).
        var statuses: [DocumentStatus]
    }

    static func apply(
        _ command: IncomingCommand, by actor: IncomingActor, to current: IncomingCase, at now: Date,
        newID: () -> UUID = { UUID() }
    ) -> Result<Transition, WorkflowRefusal> {
        switch current.state {
        case .finished:
            if command == .senderRecall { return .success(refuseRecall(current)) }
            return .failure(.conflict("Văn bản đã kết thúc xử lý."))
        case .recalledBySender:
            return .failure(.conflict("Văn bản đã được cơ quan gửi thu hồi."))
        case .returnedToSender:
            return .failure(.conflict("Văn bản đã được trả lại cơ quan gửi."))
        case .registered, .inProgress:
            break
        }
        switch command {
        case .forward(let recipients, let instruction, let deadline):
            return forward(recipients, instruction: instruction, deadline: deadline, by: actor, current, now, newID)
        case .finish(let note):
            return finish(note: note, by: actor, current)
        case .completePart(let note):
            guard let part = current.open(for: actor.id).first(where: { $0.role != .main }) else {
                return .failure(.forbidden("Bạn không có phần việc phối hợp hoặc xem để biết nào đang chờ với văn bản này."))
            }
            var next = current
            next.assignments[next.index(of: part.id)!].state = .done
            next.assignments[next.index(of: part.id)!].acted = true
            return .success(
                Transition(
                    next: next, action: part.role == .info ? "read" : "contributed", comment: note,
                    statuses: []))
        case .saveToDossier(let name):
            return touch(by: actor, current, action: "savedToDossier", comment: name, required: name, what: "tên hồ sơ")
        case .createTask(let title, _, _):
            return touch(by: actor, current, action: "taskCreated", comment: title, required: title, what: "tên công việc")
        case .recallForward:
            return recallForward(by: actor, current)
        case .returnToSender(let reason):
            guard actor.isClerk else { return .failure(.forbidden("Chỉ văn thư trả lại văn bản cho cơ quan gửi.")) }
            guard current.fromAgency, current.state == .registered else {
                return .failure(.conflict("Chỉ trả lại văn bản điện tử của cơ quan khác khi chưa chuyển xử lý."))
            }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return .failure(.invalid("Ghi lý do trả lại để cơ quan gửi biết."))
            }
            var next = current
            next.state = .returnedToSender
            next.reported.append(.rejected)
            return .success(Transition(next: next, action: "returnedToSender", comment: reason, statuses: [.rejected]))
        case .senderRecall:
            guard current.state == .registered, current.fromAgency else { return .success(refuseRecall(current)) }
            var next = current
            next.state = .recalledBySender
            next.reported.append(.recalled)
            return .success(Transition(next: next, action: "recalledBySender", comment: nil, statuses: [.recalled]))
        }
    }

    private static func forward(
        _ recipients: [ForwardRecipient], instruction: String?, deadline: Date?, by actor: IncomingActor, _ current: IncomingCase,
        _ now: Date, _ newID: () -> UUID
    ) -> Result<Transition, WorkflowRefusal> {
        // The clerk routes a registered document; afterwards only the main handler passes it on.
        let own = current.open(for: actor.id).first { $0.role == .main }
        let routing = current.state == .registered
        if routing {
            guard actor.isClerk else { return .failure(.forbidden("Chỉ văn thư chuyển văn bản mới đăng ký.")) }
        } else if own == nil {
            return .failure(.forbidden("Bạn không phải người xử lý chính của văn bản này."))
        }
        let mains = recipients.filter { $0.role == .main }
        guard mains.count == 1 else { return .failure(.invalid("Phải có đúng một người (hoặc đơn vị) xử lý chính.")) }
        guard Set(recipients.map(\.user)).count == recipients.count else {
            return .failure(.invalid("Mỗi người chỉ nhận văn bản một lần trong một lần chuyển."))
        }
        guard !recipients.contains(where: { $0.user == actor.id }) else {
            return .failure(.invalid("Không thể chuyển văn bản cho chính mình."))
        }
        if routing, mains[0].userRoles.isDisjoint(with: [.head, .unitLeader]) {
            return .failure(.invalid("Văn thư chuyển văn bản đến thủ trưởng hoặc lãnh đạo đơn vị."))
        }
        if let deadline, deadline <= now { return .failure(.invalid("Hạn xử lý phải sau thời điểm hiện tại.")) }
        let note = instruction.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }

        var next = current
        if let own, let index = next.index(of: own.id) {
            next.assignments[index].state = .forwarded
            next.assignments[index].acted = true
        }
        // A deadline not given is inherited from the forward that reached the actor.
        let inherited = deadline ?? own?.deadline
        for recipient in recipients {
            next.assignments.append(
                Assignment(
                    id: newID(), assignee: recipient.user, unit: recipient.unit, role: recipient.role, assignedBy: actor.id,
                    parent: own?.id, instruction: note, deadline: recipient.role == .info ? nil : inherited, assignedAt: now, state: .open,
                    acted: false))
        }
        next.state = .inProgress
        let statuses = report(routing ? .assigned : .processing, in: &next)
        return .success(Transition(next: next, action: routing ? "routed" : "forwarded", comment: note, statuses: statuses))
    }

    private static func finish(note: String, by actor: IncomingActor, _ current: IncomingCase) -> Result<Transition, WorkflowRefusal> {
        guard let own = current.open(for: actor.id).first(where: { $0.role == .main }) else {
            return .failure(.forbidden("Chỉ người xử lý chính đang giữ văn bản mới kết thúc được."))
        }
        let result = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !result.isEmpty else { return .failure(.invalid("Nhập kết quả xử lý trước khi kết thúc.")) }
        var next = current
        for index in next.assignments.indices where next.assignments[index].isOpen {
            next.assignments[index].state = next.assignments[index].id == own.id ? .done : .closed
        }
        next.assignments[next.index(of: own.id)!].acted = true
        next.state = .finished
        var statuses = report(.processing, in: &next)
        statuses += report(.completed, in: &next)
        return .success(Transition(next: next, action: "finished", comment: result, statuses: statuses))
    }

    /// Saving to a dossier or making a task: the holder acted on it, which also starts processing.
    private static func touch(
        by actor: IncomingActor, _ current: IncomingCase, action: String, comment: String, required: String, what: String
    ) -> Result<Transition, WorkflowRefusal> {
        guard let own = current.open(for: actor.id).first(where: { $0.role != .info }) else {
            return .failure(.forbidden("Văn bản này không đang chờ bạn xử lý."))
        }
        guard !required.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .failure(.invalid("Thiếu \(what).")) }
        var next = current
        next.assignments[next.index(of: own.id)!].acted = true
        let statuses = report(.processing, in: &next)
        return .success(Transition(next: next, action: action, comment: comment, statuses: statuses))
    }

    private static func recallForward(by actor: IncomingActor, _ current: IncomingCase) -> Result<Transition, WorkflowRefusal> {
        // The actor's latest forward: the open recipients they sent it to, from one assignment of theirs.
        let sent = current.assignments.filter { $0.assignedBy == actor.id && $0.state != .recalled }
        guard let latest = sent.max(by: { $0.assignedAt < $1.assignedAt }) else {
            return .failure(.forbidden("Bạn chưa chuyển văn bản này cho ai."))
        }
        let batch = sent.filter { $0.parent == latest.parent && $0.assignedAt == latest.assignedAt }
        guard batch.allSatisfy({ $0.isOpen && !$0.acted }) else {
            return .failure(.conflict("Người nhận đã xử lý văn bản, không thể thu hồi."))
        }
        var next = current
        for assignment in batch { next.assignments[next.index(of: assignment.id)!].state = .recalled }
        if let parent = latest.parent, let index = next.index(of: parent) {
            next.assignments[index].state = .open
        } else {
            // The clerk's routing taken back: the document is with the clerk again.
            next.state = .registered
        }
        return .success(Transition(next: next, action: "forwardRecalled", comment: nil, statuses: []))
    }

    private static func refuseRecall(_ current: IncomingCase) -> Transition {
        Transition(next: current, action: "senderRecallRefused", comment: nil, statuses: current.fromAgency ? [.recallRefused] : [])
    }

    /// `status` if the sender has not been told it yet (statuses only go forward).
    private static func report(_ status: DocumentStatus, in next: inout IncomingCase) -> [DocumentStatus] {
        guard next.fromAgency, !next.reported.contains(status) else { return [] }
        next.reported.append(status)
        return [status]
    }
}
