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

    struct CodeRequest: Decodable { var code: String }

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
            switch try await login(body, address: context.clientAddress) {
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
            return try await changePassword(caller: caller, body, address: context.clientAddress)
        }
        api.post("auth/totp") { _, context -> Enrolment in
            let caller = try context.requireCaller()
            let secret = OneTimeCode.newSecret()
            try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
                guard let user = try await UserStore.findForUpdate(id: caller.id, on: connection, logger: logger) else {
                    throw AccessDenied.invalidToken
                }
                if user.totpEnabled {
                    throw ProblemDetails.conflict("Mã xác thực đã được bật. Tắt mã cũ trước khi đăng ký lại.")
                }
                try await UserStore.setTOTP(userID: user.id, secret: secret, enabled: false, lastStep: nil, on: connection, logger: logger)
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

    func login(_ body: LoginRequest, address: String?) async throws -> LoginOutcome {
        let username = body.username.trimmingCharacters(in: .whitespaces).lowercased()
        let wrong = ProblemDetails(
            type: "https://ioffice.example/problems/invalid-credentials", title: "Đăng nhập không thành công", status: .unauthorized,
            detail: "Tên đăng nhập hoặc mật khẩu không đúng.")
        return try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            func failed(_ user: UserRecord?, _ why: String, _ problem: ProblemDetails) async throws -> LoginOutcome {
                try await UsageLog.append(
                    .loginFailed, userID: user?.id, username: username, detail: why, address: address, on: connection, logger: logger)
                return .refused(problem)
            }
            let now = Date()
            let user = try await UserStore.findForUpdate(username: username, on: connection, logger: logger)
            if let user, let until = user.lockedUntil, until > now {
                return try await failed(
                    user, "đang tạm khóa",
                    ProblemDetails(
                        type: "https://ioffice.example/problems/locked-out", title: "Tài khoản tạm khóa", status: .tooManyRequests,
                        detail: LockoutPolicy.message(until: until, now: now)))
            }
            guard await accounts.hasher.verify(body.password, against: user?.passwordHash), let user else {
                guard let user else { return try await failed(nil, "sai tên đăng nhập", wrong) }
                return try await countFailure(user, now: now, why: "sai mật khẩu", wrong: wrong, on: connection, failed: failed)
            }
            if !user.active || user.locked {
                return try await failed(
                    user, "tài khoản bị khóa",
                    ProblemDetails(
                        type: "https://ioffice.example/problems/account-disabled", title: "Tài khoản bị khóa", status: .forbidden,
                        detail: "Tài khoản đã bị khóa hoặc ngừng sử dụng. Vui lòng liên hệ quản trị hệ thống."))
            }
            var totpStep: Int64?
            if user.totpEnabled, let secret = user.totpSecret {
                guard let code = body.otp, !code.isEmpty else {
                    return .refused(
                        ProblemDetails(
                            type: "https://ioffice.example/problems/otp-required", title: "Cần mã xác thực", status: .unauthorized,
                            detail: "Nhập mã xác thực 6 số trên ứng dụng của bạn."))
                }
                guard let step = OneTimeCode.matchingStep(code: code, secret: secret, at: now, after: user.totpLastStep) else {
                    let problem = ProblemDetails(
                        type: "https://ioffice.example/problems/invalid-otp", title: "Đăng nhập không thành công", status: .unauthorized,
                        detail: "Mã xác thực không đúng hoặc đã được dùng.")
                    return try await countFailure(user, now: now, why: "sai mã xác thực", wrong: problem, on: connection, failed: failed)
                }
                totpStep = step
            }
            try await UserStore.recordSuccess(userID: user.id, totpStep: totpStep, on: connection, logger: logger)
            let session = UUID()
            try await SessionStore.create(
                id: session, userID: user.id, expiresAt: now.addingTimeInterval(TimeInterval(accounts.sessionLifetime.components.seconds)),
                address: address, on: connection, logger: logger)
            try await UsageLog.append(.login, userID: user.id, username: user.username, address: address, on: connection, logger: logger)
            return .success(try await accounts.token(for: user, session: session, on: connection))
        }
    }

    private func countFailure(
        _ user: UserRecord, now: Date, why: String, wrong: ProblemDetails, on connection: PostgresConnection,
        failed: (UserRecord?, String, ProblemDetails) async throws -> LoginOutcome
    ) async throws -> LoginOutcome {
        let failures = user.failedLogins + 1
        let until = accounts.lockout.lockedUntil(failures: failures, at: now)
        try await UserStore.recordFailure(userID: user.id, failures: failures, lockedUntil: until, on: connection, logger: logger)
        guard let until else { return try await failed(user, why, wrong) }
        return try await failed(
            user, "\(why), tạm khóa",
            ProblemDetails(
                type: "https://ioffice.example/problems/locked-out", title: "Tài khoản tạm khóa", status: .tooManyRequests,
                detail: LockoutPolicy.message(until: until, now: now)))
    }

    func changePassword(caller: Caller, _ body: PasswordChange, address: String?) async throws -> TokenResponse {
        let outcome: LoginOutcome = try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            guard var user = try await UserStore.findForUpdate(id: caller.id, on: connection, logger: logger) else {
                throw AccessDenied.invalidToken
            }
            guard await accounts.hasher.verify(body.currentPassword, against: user.passwordHash) else {
                let wrong = ProblemDetails(
                    type: "https://ioffice.example/problems/invalid-credentials", title: "Không đổi được mật khẩu", status: .forbidden,
                    detail: "Mật khẩu hiện tại không đúng.")
                return try await countFailure(user, now: Date(), why: "đổi mật khẩu: sai mật khẩu hiện tại", wrong: wrong, on: connection) {
                    user, why, problem in
                    try await UsageLog.append(
                        .loginFailed, userID: user?.id, username: caller.username, detail: why, address: address, on: connection,
                        logger: logger)
                    return .refused(problem)
                }
            }
            let problems = accounts.passwordPolicy.violations(
                password: body.newPassword, username: user.username, fullName: user.fullName, currentPassword: body.currentPassword)
            if !problems.isEmpty {
                return .refused(ProblemDetails.invalid(problems.map { .init(field: "newPassword", message: $0) }))
            }
            let hash = await accounts.hasher.hash(body.newPassword)
            try await UserStore.setPassword(userID: user.id, hash: hash, mustChange: false, on: connection, logger: logger)
            // Anyone else holding the old password's sessions is shut out.
            try await SessionStore.revokeAll(userID: user.id, except: caller.sessionID, on: connection, logger: logger)
            try await UsageLog.append(
                .passwordChanged, userID: user.id, username: user.username, address: address, on: connection, logger: logger)
            user.mustChangePassword = false
            return .success(try await accounts.token(for: user, session: caller.sessionID, on: connection))
        }
        switch outcome {
        case .success(let token): return token
        case .refused(let problem): throw problem
        }
    }

    private func setSecondFactor(enabled: Bool, _ request: Request, _ context: ServiceRequestContext) async throws -> HTTPResponse.Status {
        let caller = try context.requireCaller()
        let body = try await request.json(CodeRequest.self, context: context)
        try await accounts.client.withTransaction(deadline: .requestTransaction, logger: logger) { connection in
            guard let user = try await UserStore.findForUpdate(id: caller.id, on: connection, logger: logger) else {
                throw AccessDenied.invalidToken
            }
            guard let secret = user.totpSecret, user.totpEnabled != enabled else {
                throw ProblemDetails.conflict(
                    enabled ? "Chưa đăng ký mã xác thực, hoặc mã đã được bật." : "Mã xác thực chưa được bật.")
            }
            guard let step = OneTimeCode.matchingStep(code: body.code, secret: secret, at: Date(), after: user.totpLastStep) else {
                throw ProblemDetails.invalid([.init(field: "code", message: "Mã xác thực không đúng.")])
            }
            try await UserStore.setTOTP(
                userID: user.id, secret: enabled ? secret : nil, enabled: enabled, lastStep: step, on: connection, logger: logger)
            try await UsageLog.append(
                enabled ? .totpEnabled : .totpDisabled, userID: user.id, username: user.username, address: context.clientAddress,
                on: connection, logger: logger)
        }
        return .noContent
    }
}
