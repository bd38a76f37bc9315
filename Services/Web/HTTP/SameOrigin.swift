import Foundation
import HTTPTypes
import Hummingbird

/// Whether a state-changing request comes from our own pages, decided from the headers alone, before a
/// byte of its body is read: the browser's `Sec-Fetch-Site`, else its `Origin`, else its `Referer`,
/// must name this site. The form's double-submit token is checked after, as a second lock.
enum SameOrigin {
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    static func allows(_ request: Request) -> Bool {
        if let site = request.headers[fetchSite] { return site == "same-origin" }
        // HTTP/1.1 carries the Host header here.
        guard let host = request.head.authority else { return false }
        for name in [HTTPField.Name.origin, .referer] {
            if let value = request.headers[name] {
                guard let url = URL(string: value), let sender = url.host else { return false }
                return (url.port.map { "\(sender):\($0)" } ?? sender).lowercased() == host.lowercased()
            }
        }
        return false
    }
}
