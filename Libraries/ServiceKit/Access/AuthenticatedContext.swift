import Contracts
import Hummingbird
import NIOCore

/// A request context that can carry the verified caller.
public protocol AuthenticatedContext: RequestContext {
    var caller: Caller? { get set }
}

extension AuthenticatedContext {
    /// The caller, for routes behind `AuthMiddleware`.
    public func requireCaller() throws -> Caller {
        guard let caller else { throw AccessDenied.notLoggedIn }
        return caller
    }

    /// The caller, who must hold `role`.
    @discardableResult
    public func require(_ role: Role) throws -> Caller {
        let caller = try requireCaller()
        guard caller.has(role) else { throw AccessDenied.missing(role) }
        return caller
    }

    /// The caller, who must hold `permission`.
    @discardableResult
    public func require(_ permission: Permission) throws -> Caller {
        let caller = try requireCaller()
        guard caller.has(permission) else { throw AccessDenied.missing(permission) }
        return caller
    }
}

/// The context of every service's routes: the caller once authenticated, and the client's address for
/// the usage log.
public struct ServiceRequestContext: AuthenticatedContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
