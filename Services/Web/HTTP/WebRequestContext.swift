import Hummingbird
import NIOCore

/// A page request's context, with the browser's address: the login forwards it, so Documents limits
/// failed logins per person's address and not per web front end.
struct WebRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    var clientAddress: String? { remoteAddress?.ipAddress }
}
