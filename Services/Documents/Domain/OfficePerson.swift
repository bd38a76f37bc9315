import Contracts
import Foundation

/// Someone of the agency as the rules of tasks and dossiers see them: who, in which unit, in which roles.
struct OfficePerson: Sendable {
    var id: UUID
    var unit: UUID?
    var roles: Set<Role>
}
