import Foundation
import Hummingbird

/// Who is at the browser: the access token (in an HttpOnly, SameSite=Strict cookie), what it says
/// about the user, and the CSRF token every form must echo.
struct WebSession: Sendable {
    static let tokenCookie = "ioffice_token"
    static let csrfCookie = "ioffice_csrf"

    var token: String?
    var user: User?
    var csrf: String
    /// The CSRF cookie is new and must be set on the response.
    var csrfIsNew: Bool
    /// Urgent notices (thông báo khẩn) the user has not acknowledged: shown at the top of every page.
    var urgent: [Urgent] = []

    struct Urgent: Sendable, Decodable { var id: UUID; var text: String; var senderName: String }

    /// What the token carries, for the page (the services check the token on every call).
    struct User: Sendable, Decodable {
        var sub: String
        var name: String
        var username: String
        var roles: [String]
        var permissions: [String]
        var mustChangePassword: Bool
        var exp: Double
        var unit: Unit?
        struct Unit: Sendable, Decodable { var id: UUID; var name: String }

        var id: UUID? { UUID(uuidString: sub) }
        var expiresAt: Date { Date(timeIntervalSince1970: exp) }
        func has(_ role: String) -> Bool { roles.contains(role) }
        var isLeader: Bool { has("unitLeader") || has("head") }
    }

    init(_ request: Request) {
        let token = request.cookies[Self.tokenCookie]?.value
        let user = token.flatMap(Self.claims)
        self.token = user.map { $0.expiresAt > Date() } == true ? token : nil
        self.user = self.token == nil ? nil : user
        if let csrf = request.cookies[Self.csrfCookie]?.value, csrf.count == 32 {
            self.csrf = csrf
            csrfIsNew = false
        } else {
            csrf = Self.randomHex(16)
            csrfIsNew = true
        }
    }

    /// The payload of a JWT, unverified: only for showing the name and choosing menus.
    static func claims(of token: String) -> User? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return try? JSONDecoder().decode(User.self, from: data)
    }

    static func randomHex(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// A form's `_csrf` must equal the cookie (double submit; the cookie is SameSite=Strict too).
    func checkCSRF(_ form: WebForm) throws {
        guard !csrfIsNew, let sent = form["_csrf"], sent == csrf else { throw PageError.csrf }
    }

    static func cookie(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }
}

/// Why a page cannot be shown, other than a service's refusal.
enum PageError: Error {
    /// Not logged in (or the session ended): to the login page.
    case login
    /// The token allows only the password change.
    case mustChangePassword
    /// A form without the right CSRF token.
    case csrf
    case notFound
}
