import Contracts
import Foundation

/// Giao việc (seed §5): who may give whom a task, who sees it, and what a progress report may say.
/// Work is given down the organisation: anyone may note a task for themselves; a unit's leader gives
/// tasks to the people of their unit and of the units below it; the head of the agency to anyone.
enum TaskRules {
    typealias Person = OfficePerson

    static let maximumTitle = 500
    static let maximumComment = 2_000

    /// Whether `assigner` may give a task to `assignee`; `parents` maps each unit to its parent.
    static func mayAssign(by assigner: Person, to assignee: Person, parents: [UUID: UUID]) -> Bool {
        if assigner.id == assignee.id || assigner.roles.contains(.head) { return true }
        guard assigner.roles.contains(.unitLeader), let own = assigner.unit, let their = assignee.unit else { return false }
        return isWithin(their, own, parents: parents)
    }

    /// Whether `unit` is `ancestor` or below it.
    static func isWithin(_ unit: UUID, _ ancestor: UUID, parents: [UUID: UUID]) -> Bool {
        var current: UUID? = unit
        var seen: Set<UUID> = []
        while let node = current, seen.insert(node).inserted {
            if node == ancestor { return true }
            current = parents[node]
        }
        return false
    }

    /// The one who gave it, the one who does it, and the head of the agency see a task.
    static func mayView(creator: UUID, assignee: UUID, viewer: Person) -> Bool {
        viewer.id == creator || viewer.id == assignee || viewer.roles.contains(.head)
    }

    /// What is wrong with a new task, per field, in Vietnamese.
    static func problems(title: String, deadline: Date?, now: Date) -> [(field: String, message: String)] {
        var found: [(String, String)] = []
        if title.isEmpty { found.append(("title", "Nhập tên công việc.")) }
        if title.count > maximumTitle { found.append(("title", "Tên công việc dài quá \(maximumTitle) ký tự.")) }
        if let deadline, deadline < now.addingTimeInterval(-86_400) { found.append(("deadline", "Hạn hoàn thành đã qua.")) }
        return found
    }

    /// What is wrong with a progress report.
    static func problems(percent: Int, comment: String) -> [(field: String, message: String)] {
        var found: [(String, String)] = []
        if !(0...100).contains(percent) { found.append(("percent", "Tiến độ là số phần trăm từ 0 đến 100.")) }
        if comment.count > maximumComment { found.append(("comment", "Ghi chú dài quá \(maximumComment) ký tự.")) }
        return found
    }
}
