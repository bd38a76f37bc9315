import ServiceKit

extension OfficePerson {
    /// The person a token names, for the rules of tasks and dossiers.
    init(caller: Caller) { self.init(id: caller.id, unit: caller.unit?.id, roles: caller.roles) }
}
