import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit

/// Login, logout, token refresh, password change, the optional second factor, and the public key set.
struct AuthRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    /// Paths a must-change token may use.
    static let allowedBeforePasswordChange: Set<String> = ["/api/v1/auth/password", "/api/v1/auth/logout"]

    struct LoginRequest: Decodable {
        var username: String
        var password: String
        /// The 6-digit code of the authenticator app, for users who enrolled one.
        var otp: String?
    }

    struct PasswordChange: Decodable {
        var currentPassword: String
        var newPassword: String
    }

    struct CodeRequest: Decodable {
        var code: String
        /// Needed to turn the second factor off: a stolen session alone must not remove it.
        var password: String?
    }

    /// Enrolling needs the password too, so a stolen session cannot tie the account to the thief's app.
    struct EnrolRequest: Decodable { var password: String }

    struct Enrolment: ResponseCodable {
        /// Base32, for typing into the app by hand.
        var secret: String
        /// `otpauth://` URL, for a QR code.
        var url: String
    }

    /// How a login attempt ended; failures commit their count before the error is thrown.
    enum LoginOutcome {
        case success(TokenResponse)
        case refused(ProblemDetails)
    }

    func add(public router: Router<ServiceRequestContext>, api: RouterGroup<ServiceRequestContext>) {
        router.get(".well-known/jwks.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/jwk-set+json", .cacheControl: "max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: try accounts.keyRing.jwksJSON())))
        }
        router.post("api/v1/auth/login") { request, context -> TokenResponse in
            let body = try await request.json(LoginRequest.self, context: context)
            switch try await login(body, address: accounts.clientAddress(request, context)) {
            case .success(let token): return token
            case .refused(let problem): throw problem
            }
        }
        api.post("auth/logout") { _, context -> HTTPResponse.Status in
            let caller = try context.requireCaller()
            try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                try await SessionStore.revoke(caller.sessionID, on: connection, logger: logger)
                try await UsageLog.append(
                    .logout, userID: caller.id, username: caller.username, address: context.clientAddress, on: connection, logger: logger)
            }
            return .noContent
        }
        api.post("auth/refresh") { _, context -> TokenResponse in
            let caller = try context.requireCaller()
            return try await accounts.client.withConnection { connection in
                guard let user = try await UserStore.find(id: caller.id, on: connection, logger: logger) else {
                    throw AccessDenied.invalidToken
                }
                return try await accounts.token(for: user, session: caller.sessionID, on: connection)
            }
        }
        api.post("auth/password") { request, context -> TokenResponse in
            let caller = try context.requireCaller()
            let body = try await request.json(PasswordChange.self, context: context)
            return try await changePassword(caller: caller, body, address: accounts.clientAddress(request, context))
        }
        api.post("auth/totp") { request, context -> Enrolment in
            let caller = try context.requireCaller()
            let body = try await request.json(EnrolRequest.self, context: context)
            try await confirmPassword(body.password, of: caller, address: accounts.clientAddress(request, context), for: "đăng ký mã xác thực")
            let secret = OneTimeCode.newSecret()
            try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                guard let user = try await UserStore.findForUpdate(id: caller.id, on: connection, logger: logger) else {
                    throw AccessDenied.invalidToken
                }
                if user.totpEnabled {
                    throw ProblemDetails.conflict("Mã xác thực đã được bật. Tắt mã cũ trước khi đăng ký lại.")
                }
                try await UserStore.setTOTP(
                    userID: user.id, secret: try accounts.secrets.seal(secret), enabled: false, lastStep: nil, on: connection, logger: logger)
            }
            let url = OneTimeCode.enrolmentURL(secret: secret, username: caller.username, issuer: accounts.agencyName)
            let base32 = URLComponents(string: url)?.queryItems?.first { $0.name == "secret" }?.value ?? ""
            return Enrolment(secret: base32, url: url)
        }
        api.post("auth/totp/confirm") { request, context -> HTTPResponse.Status in
            try await setSecondFactor(enabled: true, request, context)
        }
        api.post("auth/totp/disable") { request, context -> HTTPResponse.Status in
            try await setSecondFactor(enabled: false, request, context)
        }
    }

    func login(_ body: LoginRequest, address: String) async throws -> LoginOutcome {
        let username = body.username.trimmingCharacters(in: .whitespaces).lowercased()
        if let refusal = try await accounts.gate.enter(username: username, address: address) { return .refused(Self.problem(refusal)) }
        do {
            let (outcome, verdict) = try await attempt(body, username: username, address: address)
            await accounts.gate.leave(username: username, address: address, outcome: verdict)
            return outcome
        } catch {
            await accounts.gate.leave(username: username, address: address, outcome: .undecided)
            if let refusal = error as? LoginGate.Refusal { return .refused(Self.problem(refusal)) }
            throw error
        }
    }

    static let wrongCredentials = ProblemDetails(
        type: "https://ioffice.example/problems/invalid-credentials", title: "Đăng nhập không thành công", status: .unauthorized,
        detail: "Tên đăng nhập hoặc mật khẩu không đúng.")

    /// The password is checked with no transaction open and no row locked; only a right one opens the
    /// short transaction that makes the session.
    private func attempt(_ body: LoginRequest, username: String, address: String) async throws -> (LoginOutcome, LoginGate.Outcome) {
        let found = try await accounts.client.withConnection { connection in
            try await UserStore.find(username: username, on: connection, logger: logger)
        }
        guard try await accounts.verifyPassword(body.password, against: found?.passwordHash), let found else {
            try await recordFailure(found, username: username, why: found == nil ? "sai tên đăng nhập" : "sai mật khẩu", address: address)
            return (.refused(Self.wrongCredentials), .failed)
        }
        return try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            let now = Date()
            // Changed since it was read: the password just checked is no longer the account's.
            guard let user = try await UserStore.findForUpdate(id: found.id, on: connection, logger: logger),
                user.passwordHash == found.passwordHash
            else {
                try await recordFailure(found, username: username, why: "sai mật khẩu", address: address, on: connection)
                return (.refused(Self.wrongCredentials), .failed)
            }
            if !user.active || user.locked {
                try await UsageLog.append(
                    .loginFailed, userID: user.id, username: username, detail: "tài khoản bị khóa", address: address, on: connection,
                    logger: logger)
                let problem = ProblemDetails(
                    type: "https://ioffice.example/problems/account-disabled", title: "Tài khoản bị khóa", status: .forbidden,
                    detail: "Tài khoản đã bị khóa hoặc ngừng sử dụng. Vui lòng liên hệ quản trị hệ thống.")
                return (.refused(problem), .undecided)
            }
            var totpStep: Int64?
            if user.totpEnabled, let sealed = user.totpSecret {
                let secret = try accounts.secrets.openText(sealed)
                guard let code = body.otp, !code.isEmpty else {
                    let problem = ProblemDetails(
                        type: "https://ioffice.example/problems/otp-required", title: "Cần mã xác thực", status: .unauthorized,
                        detail: "Nhập mã xác thực 6 số trên ứng dụng của bạn.")
                    return (.refused(problem), .undecided)
                }
                if let refusal = try await accounts.gate.codeWait(username: username, on: connection) {
                    return (.refused(Self.problem(refusal)), .undecided)
                }
                let matched = OneTimeCode.matchingStep(code: code, secret: secret, at: now, after: user.totpLastStep)
                try await accounts.gate.codeChecked(username: username, right: matched != nil, on: connection)
                guard let step = matched else {
                    try await recordFailure(user, username: username, why: "sai mã xác thực", address: address, on: connection)
                    let problem = ProblemDetails(
                        type: "https://ioffice.example/problems/invalid-otp", title: "Đăng nhập không thành công", status: .unauthorized,
                        detail: "Mã xác thực không đúng hoặc đã được dùng.")
                    return (.refused(problem), .failed)
                }
                totpStep = step
                if !accounts.secrets.isCurrent(sealed) {
                    // Sealed with a key being rotated out: sealed again with the current one.
                    try await UserStore.setTOTP(
                        userID: user.id, secret: try accounts.secrets.seal(secret), enabled: true, lastStep: user.totpLastStep,
                        on: connection, logger: logger)
                }
            }
            try await UserStore.recordSuccess(userID: user.id, totpStep: totpStep, on: connection, logger: logger)
            let session = UUID()
            try await SessionStore.create(
                id: session, userID: user.id, expiresAt: now.addingTimeInterval(TimeInterval(accounts.sessionLifetime.components.seconds)),
                address: address, on: connection, logger: logger)
            try await UsageLog.append(.login, userID: user.id, username: user.username, address: address, on: connection, logger: logger)
            return (.success(try await accounts.token(for: user, session: session, on: connection)), .succeeded)
        }
    }

    /// The usage log line and the administrator's count of a failure.
    private func recordFailure(
        _ user: UserRecord?, username: String, why: String, address: String, on connection: PostgresConnection? = nil
    ) async throws {
        @Sendable func write(_ connection: PostgresConnection) async throws {
            if let user { try await UserStore.recordFailure(userID: user.id, on: connection, logger: logger) }
            try await UsageLog.append(
                .loginFailed, userID: user?.id, username: username, detail: why, address: address, on: connection, logger: logger)
        }
        if let connection { return try await write(connection) }
        try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { try await write($0) }
    }

    /// A refused attempt, the same whether or not the username exists.
    static func problem(_ refusal: LoginGate.Refusal) -> ProblemDetails {
        switch refusal {
        case .wait(let seconds):
            var problem = ProblemDetails(
                type: "https://ioffice.example/problems/too-many-attempts", title: "Tạm dừng đăng nhập", status: .tooManyRequests,
                detail: LoginThrottle.message(wait: seconds))
            problem.retryAfter = max(1, Int(seconds.rounded(.up)))
            return problem
        case .busy:
            var problem = ProblemDetails(
                type: "https://ioffice.example/problems/busy", title: "Hệ thống đang bận", status: .serviceUnavailable,
                detail: "Có quá nhiều lượt đăng nhập cùng lúc. Vui lòng thử lại sau ít giây.")
            problem.retryAfter = 2
            return problem
        }
    }

    func changePassword(caller: Caller, _ body: PasswordChange, address: String) async throws -> TokenResponse {
        if let refusal = try await accounts.gate.enter(username: caller.username, address: address) { throw Self.problem(refusal) }
        let outcome: LoginOutcome
        do {
            let verdict: LoginGate.Outcome
            (outcome, verdict) = try await passwordChange(caller: caller, body, address: address)
            await accounts.gate.leave(username: caller.username, address: address, outcome: verdict)
        } catch {
            await accounts.gate.leave(username: caller.username, address: address, outcome: .undecided)
            if let refusal = error as? LoginGate.Refusal { throw Self.problem(refusal) }
            throw error
        }
        switch outcome {
        case .success(let token): return token
        case .refused(let problem): throw problem
        }
    }

    /// Both hashes are computed before the transaction; the row is locked only to write the new one.
    private func passwordChange(caller: Caller, _ body: PasswordChange, address: String) async throws -> (LoginOutcome, LoginGate.Outcome) {
        let found = try await accounts.client.withConnection { connection in
            try await UserStore.find(id: caller.id, on: connection, logger: logger)
        }
        guard let found else { throw AccessDenied.invalidToken }
        guard try await accounts.verifyPassword(body.currentPassword, against: found.passwordHash) else {
            try await recordFailure(found, username: caller.username, why: "đổi mật khẩu: sai mật khẩu hiện tại", address: address)
            let wrong = ProblemDetails(
                type: "https://ioffice.example/problems/invalid-credentials", title: "Không đổi được mật khẩu", status: .forbidden,
                detail: "Mật khẩu hiện tại không đúng.")
            return (.refused(wrong), .failed)
        }
        let problems = accounts.passwordPolicy.violations(
            password: body.newPassword, username: found.username, fullName: found.fullName, currentPassword: body.currentPassword)
        if !problems.isEmpty {
            return (.refused(ProblemDetails.invalid(problems.map { .init(field: "newPassword", message: $0) })), .succeeded)
        }
        try await accounts.gate.startHashing()
        let hash = await accounts.hasher.hash(body.newPassword)
        await accounts.gate.finishHashing()
        return try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            guard var user = try await UserStore.findForUpdate(id: caller.id, on: connection, logger: logger) else {
                throw AccessDenied.invalidToken
            }
            guard user.passwordHash == found.passwordHash else {
                throw ProblemDetails.conflict("Mật khẩu vừa được đổi ở nơi khác. Vui lòng đăng nhập lại.")
            }
            try await UserStore.setPassword(userID: user.id, hash: hash, mustChange: false, on: connection, logger: logger)
            // Anyone else holding the old password's sessions is shut out.
            try await SessionStore.revokeAll(userID: user.id, except: caller.sessionID, on: connection, logger: logger)
            try await UsageLog.append(
                .passwordChanged, userID: user.id, username: user.username, address: address, on: connection, logger: logger)
            user.mustChangePassword = false
            return (.success(try await accounts.token(for: user, session: caller.sessionID, on: connection)), .succeeded)
        }
    }

    /// The caller's own password again, checked like a login (same gate, same throttle, same log): 403
    /// when wrong.
    func confirmPassword(_ password: String, of caller: Caller, address: String, for purpose: String) async throws {
        if let refusal = try await accounts.gate.enter(username: caller.username, address: address) { throw Self.problem(refusal) }
        do {
            let found = try await accounts.client.withConnection { connection in
                try await UserStore.find(id: caller.id, on: connection, logger: logger)
            }
            guard let found else { throw AccessDenied.invalidToken }
            guard try await accounts.verifyPassword(password, against: found.passwordHash) else {
                try await recordFailure(found, username: caller.username, why: "\(purpose): sai mật khẩu", address: address)
                await accounts.gate.leave(username: caller.username, address: address, outcome: .failed)
                throw ProblemDetails(
                    type: "https://ioffice.example/problems/invalid-credentials", title: "Mật khẩu không đúng", status: .forbidden,
                    detail: "Mật khẩu hiện tại không đúng.")
            }
            await accounts.gate.leave(username: caller.username, address: address, outcome: .succeeded)
        } catch let refusal as LoginGate.Refusal {
            await accounts.gate.leave(username: caller.username, address: address, outcome: .undecided)
            throw Self.problem(refusal)
        } catch let problem as ProblemDetails where problem.status == .forbidden {
            throw problem
        } catch {
            await accounts.gate.leave(username: caller.username, address: address, outcome: .undecided)
            throw error
        }
    }

    private func setSecondFactor(enabled: Bool, _ request: Request, _ context: ServiceRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.requireCaller()
        let body = try await request.json(CodeRequest.self, context: context)
        if !enabled {
            guard let password = body.password, !password.isEmpty else {
                throw ProblemDetails.invalid([.init(field: "password", message: "Nhập mật khẩu để tắt mã xác thực.")])
            }
            try await confirmPassword(password, of: caller, address: accounts.clientAddress(request, context), for: "tắt mã xác thực")
        }
        // A wrong code is counted in the transaction, which then commits: the refusal comes after it.
        let right = try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection -> Bool in
            guard let user = try await UserStore.findForUpdate(id: caller.id, on: connection, logger: logger) else {
                throw AccessDenied.invalidToken
            }
            guard let sealed = user.totpSecret, user.totpEnabled != enabled else {
                throw ProblemDetails.conflict(
                    enabled ? "Chưa đăng ký mã xác thực, hoặc mã đã được bật." : "Mã xác thực chưa được bật.")
            }
            let secret = try accounts.secrets.openText(sealed)
            if let refusal = try await accounts.gate.codeWait(username: caller.username, on: connection) { throw Self.problem(refusal) }
            let matched = OneTimeCode.matchingStep(code: body.code, secret: secret, at: Date(), after: user.totpLastStep)
            try await accounts.gate.codeChecked(username: caller.username, right: matched != nil, on: connection)
            guard let step = matched else { return false }
            try await UserStore.setTOTP(
                userID: user.id, secret: enabled ? try accounts.secrets.seal(secret) : nil, enabled: enabled, lastStep: step, on: connection,
                logger: logger)
            try await UsageLog.append(
                enabled ? .totpEnabled : .totpDisabled, userID: user.id, username: user.username, address: context.clientAddress,
                on: connection, logger: logger)
            return true
        }
        guard right else { throw ProblemDetails.invalid([.init(field: "code", message: "Mã xác thực không đúng.")]) }
        return .noContent
    }
}
