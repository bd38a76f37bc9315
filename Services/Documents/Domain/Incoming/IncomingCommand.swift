import Contracts
import Foundation

/// Who acts on an incoming document.
struct IncomingActor: Equatable, Sendable {
    var id: UUID
    var roles: Set<Role>
    var isClerk: Bool { roles.contains(.clerk) }
}

/// A recipient of a forward, resolved to a person: a unit is reached through its leader.
struct ForwardRecipient: Equatable, Sendable {
    var user: UUID
    var unit: UUID?
    var role: HandlingRole
    /// The recipient's roles: the clerk routes only to the head or a unit leader.
    var userRoles: Set<Role>
}

/// One step on an incoming document.
enum IncomingCommand: Equatable, Sendable {
    /// Chuyển xử lý: the clerk's routing, or a holder passing it down with instructions.
    case forward(to: [ForwardRecipient], instruction: String?, deadline: Date?)
    /// Kết thúc, by the main handler.
    case finish(note: String)
    /// A co-handler's part done, or a reader's "read".
    case completePart(note: String?)
    /// Lưu hồ sơ.
    case saveToDossier(name: String)
    /// Tạo việc.
    case createTask(title: String, assignee: UUID, deadline: Date?)
    /// Thu hồi: take back the forward the actor made, while none of its recipients has acted.
    case recallForward
    /// The sending agency's `recall.v1`.
    case senderRecall
    /// Trả lại cơ quan gửi: the clerk refuses an electronic arrival (invalid signature, misaddressed)
    /// before routing it; the sender gets `rejected` with the reason.
    case returnToSender(reason: String)
}
