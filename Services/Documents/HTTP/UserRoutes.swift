import Contracts
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import VietnameseText

/// Users, for admins: create (with a one-time password), list, read, change, reset the password.
struct UserRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    struct UserBody: Decodable {
        var username: String?
        var fullName: String
        var unitId: UUID
        var position: String?
        var roles: [String]
        var permissions: [String]?
        var phone: String?
        var email: String?
        /// Only on change: false deactivates the account (nghỉ việc).
        var active: Bool?
        /// Only on change: true locks the account.
        var locked: Bool?
    }

    struct Suggestion: ResponseCodable { var username: String }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.get("users") { request, context -> Page<UserView> in
            try context.require(.admin)
            let paging = try Paging(request)
            let query = request.uri.queryParameters.get("q").map(VietnameseText.searchKey).flatMap { $0.isEmpty ? nil : $0 }
            let unit = request.uri.queryParameters.get("unitId").flatMap(UUID.init(uuidString:))
            let found = try await accounts.client.withConnection { connection in
                try await UserStore.search(
                    searchKey: query, unitID: unit, activeOnly: false, limit: paging.perPage, offset: paging.offset, on: connection,
                    logger: logger)
            }
            return Page(items: found.users.map(UserView.init), total: found.total)
        }
        api.get("users/username-suggestion") { request, context -> Suggestion in
            try context.require(.admin)
            let fullName = request.uri.queryParameters.get("fullName") ?? ""
            guard let unitID = request.uri.queryParameters.get("unitId").flatMap(UUID.init(uuidString:)) else {
                throw ProblemDetails.invalid([.init(field: "unitId", message: "Chọn đơn vị để gợi ý tên đăng nhập.")])
            }
            return try await accounts.client.withConnection { connection in
                Suggestion(username: try await suggest(fullName: fullName, unitID: unitID, on: connection))
            }
        }
        api.get("users/:id") { _, context -> UserView in
            try context.require(.admin)
            let id = try UUID.parameter("id", of: context, what: "người dùng")
            guard let user = try await accounts.client.withConnection({ try await UserStore.find(id: id, on: $0, logger: logger) }) else {
                throw ProblemDetails.notFound("Không tìm thấy người dùng.")
            }
            return UserView(user)
        }
        api.post("users") { request, context -> EditedResponse<CreatedUser> in
            let caller = try context.require(.admin)
            let input = try check(try await request.json(UserBody.self, context: context))
            let password = InitialPassword.make()
            let hash = await accounts.hasher.hash(password)
            let user = try await transaction(label: "người dùng") { connection in
                let username: String
                if let chosen = input.username {
                    username = chosen
                } else {
                    username = try await suggest(fullName: input.fullName, unitID: input.unitId, on: connection)
                }
                let user = UserRecord(
                    id: UUID(), username: username, fullName: input.fullName, unitId: input.unitId, position: input.position,
                    roles: input.roles, permissions: input.permissions, phone: input.phone, email: input.email, active: true,
                    locked: false, passwordHash: hash, mustChangePassword: true, failedLogins: 0, lockedUntil: nil, totpSecret: nil,
                    totpEnabled: false, totpLastStep: nil, version: 1)
                try await requireUnit(input.unitId, on: connection)
                if try await UserStore.usernames(startingWith: username, on: connection, logger: logger).contains(username) {
                    throw ProblemDetails.conflict("Tên đăng nhập “\(username)” đã có người dùng.")
                }
                try await UserStore.insert(user, searchKey: VietnameseText.searchKey(user.fullName), on: connection, logger: logger)
                try await UsageLog.append(
                    .userCreated, userID: caller.id, username: caller.username, target: username,
                    detail: "vai trò: \(Self.describe(user.roles, user.permissions))", address: context.clientAddress, on: connection,
                    logger: logger)
                try await DirectoryEvents.userChanged(user, on: connection, logger: logger)
                if user.roles.contains(.unitLeader) {
                    try await DirectoryEvents.leadersChanged(units: [user.unitId], on: connection, logger: logger)
                }
                return user
            }
            return EditedResponse(status: .created, response: CreatedUser(id: user.id, username: user.username, initialPassword: password))
        }
        api.put("users/:id") { request, context -> UserView in
            let caller = try context.require(.admin)
            let id = try UUID.parameter("id", of: context, what: "người dùng")
            let body = try await request.json(UserBody.self, context: context)
            let input = try check(body)
            // Nobody locks themselves out: the last administrator would leave the agency without one.
            if id == caller.id, !input.roles.contains(.admin) || body.active == false || body.locked == true {
                throw ProblemDetails.conflict("Không thể tự bỏ quyền quản trị, tự khóa hoặc ngừng tài khoản của chính mình.")
            }
            return UserView(
                try await transaction(label: "người dùng") { connection in
                    guard let old = try await UserStore.findForUpdate(id: id, on: connection, logger: logger) else {
                        throw ProblemDetails.notFound("Không tìm thấy người dùng.")
                    }
                    try await requireUnit(input.unitId, on: connection)
                    var user = old
                    user.fullName = input.fullName
                    user.unitId = input.unitId
                    user.position = input.position
                    user.roles = input.roles
                    user.permissions = input.permissions
                    user.phone = input.phone
                    user.email = input.email
                    user.active = body.active ?? old.active
                    user.locked = body.locked ?? old.locked
                    user.version = try await UserStore.updateProfile(
                        user, searchKey: VietnameseText.searchKey(user.fullName), on: connection, logger: logger)
                    try await record(old: old, new: user, caller: caller, address: context.clientAddress, on: connection)
                    return user
                })
        }
        api.post("users/:id/password-reset") { _, context -> ResetPassword in
            let caller = try context.require(.admin)
            let id = try UUID.parameter("id", of: context, what: "người dùng")
            let password = InitialPassword.make()
            let hash = await accounts.hasher.hash(password)
            try await transaction(label: "người dùng") { connection in
                guard let user = try await UserStore.findForUpdate(id: id, on: connection, logger: logger) else {
                    throw ProblemDetails.notFound("Không tìm thấy người dùng.")
                }
                try await UserStore.setPassword(userID: id, hash: hash, mustChange: true, on: connection, logger: logger)
                try await SessionStore.revokeAll(userID: id, on: connection, logger: logger)
                try await UsageLog.append(
                    .passwordReset, userID: caller.id, username: caller.username, target: user.username,
                    address: context.clientAddress, on: connection, logger: logger)
            }
            return ResetPassword(initialPassword: password)
        }
    }

    /// The log lines and events of a change: permissions separately, as admins audit those.
    private func record(old: UserRecord, new user: UserRecord, caller: Caller, address: String?, on connection: PostgresConnection)
        async throws
    {
        try await UsageLog.append(
            .userUpdated, userID: caller.id, username: caller.username, target: user.username, address: address, on: connection,
            logger: logger)
        if Set(old.roles) != Set(user.roles) || Set(old.permissions) != Set(user.permissions) {
            try await UsageLog.append(
                .permissionsChanged, userID: caller.id, username: caller.username, target: user.username,
                detail: "\(Self.describe(old.roles, old.permissions)) → \(Self.describe(user.roles, user.permissions))", address: address,
                on: connection, logger: logger)
        }
        if !user.active || user.locked || Set(old.roles) != Set(user.roles) || Set(old.permissions) != Set(user.permissions) {
            // Tokens carry roles; a session must log in again to get what it now may do, or nothing.
            try await SessionStore.revokeAll(userID: user.id, on: connection, logger: logger)
        }
        try await DirectoryEvents.userChanged(user, on: connection, logger: logger)
        var units: Set<UUID> = []
        let wasLeader = old.roles.contains(.unitLeader) && old.active && !old.locked
        let isLeader = user.roles.contains(.unitLeader) && user.active && !user.locked
        if wasLeader { units.insert(old.unitId) }
        if isLeader { units.insert(user.unitId) }
        if wasLeader == isLeader, old.unitId == user.unitId { units = [] }
        try await DirectoryEvents.leadersChanged(units: units, on: connection, logger: logger)
    }

    static func describe(_ roles: [Role], _ permissions: [Permission]) -> String {
        (roles.map(\.rawValue) + permissions.map(\.rawValue)).sorted().joined(separator: ", ")
    }

    private func check(_ body: UserBody) throws -> UserInput {
        switch UserInput.check(
            username: body.username, fullName: body.fullName, unitId: body.unitId, position: body.position, roles: body.roles,
            permissions: body.permissions ?? [], phone: body.phone, email: body.email)
        {
        case .success(let input): return input
        case .failure(let problems): throw ProblemDetails.invalid(problems.items.map { .init(field: $0.field, message: $0.message) })
        }
    }

    private func requireUnit(_ id: UUID, on connection: PostgresConnection) async throws {
        guard try await UnitStore.find(id, on: connection, logger: logger) != nil else {
            throw ProblemDetails.invalid([.init(field: "unitId", message: "Đơn vị không tồn tại.")])
        }
    }

    /// `hoangthihuynh.vp`, or the first free variant of it.
    private func suggest(fullName: String, unitID: UUID, on connection: PostgresConnection) async throws -> String {
        guard let unit = try await UnitStore.find(unitID, on: connection, logger: logger) else {
            throw ProblemDetails.invalid([.init(field: "unitId", message: "Đơn vị không tồn tại.")])
        }
        let base = UsernameSuggestion.letters(fullName)
        let taken = try await UserStore.usernames(startingWith: base, on: connection, logger: logger)
        guard let name = UsernameSuggestion.suggest(fullName: fullName, unitSuffix: unit.abbreviation, isTaken: taken.contains) else {
            throw ProblemDetails.invalid([.init(field: "fullName", message: "Không gợi ý được tên đăng nhập từ họ tên này.")])
        }
        return name
    }

    @discardableResult
    private func transaction<T: Sendable>(label: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await DatabaseProblem.transaction(on: accounts.client, label: label, logger: logger, body)
    }
}
