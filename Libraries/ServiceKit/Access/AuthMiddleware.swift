import Hummingbird

/// Lets a request through only with a valid bearer token, and puts the caller in the context. A token
/// issued for a must-change password opens only the paths in `allowedBeforePasswordChange`.
public struct AuthMiddleware<Context: AuthenticatedContext>: RouterMiddleware {
    let verifier: TokenVerifier
    let allowedBeforePasswordChange: Set<String>

    public init(verifier: TokenVerifier, allowedBeforePasswordChange: Set<String> = []) {
        self.verifier = verifier
        self.allowedBeforePasswordChange = allowedBeforePasswordChange
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard let token = Self.bearerToken(in: request) else { throw AccessDenied.notLoggedIn }
        let caller = try await verifier.verify(token)
        if caller.mustChangePassword, !allowedBeforePasswordChange.contains(request.uri.path) {
            throw AccessDenied.passwordChangeRequired
        }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }

    static func bearerToken(in request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
