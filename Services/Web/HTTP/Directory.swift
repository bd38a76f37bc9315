import Foundation
import Hummingbird

/// Danh bạ: people and units, for the directory page and for choosing recipients.
enum Directory {
    struct Person: Decodable { var id: UUID; var fullName: String; var unitName: String; var position: String; var phone: String?; var email: String? }
    struct Unit: Decodable { var id: UUID; var name: String; var abbreviation: String }

    /// `unit:<id>` and `user:<id>` options, units first.
    static func choices(_ app: WebApp, _ session: WebSession) async throws -> [[String: Any]] {
        let units = try await app.backend.get(.documents, "/api/v1/units", token: session.token, as: [Unit].self)
        let people = try await app.backend.get(.documents, "/api/v1/directory?perPage=200", token: session.token, as: Listing<Person>.self).items
        return units.map { ["value": "unit:\($0.id.uuidString.lowercased())", "label": "Đơn vị: \($0.name)"] }
            + people.filter { $0.id.uuidString.lowercased() != session.user?.sub }
            .map { ["value": "user:\($0.id.uuidString.lowercased())", "label": "\($0.fullName) – \($0.unitName)"] }
    }

    /// People only, the caller first as "Tôi": whom a task can be given to.
    static func people(_ app: WebApp, _ session: WebSession) async throws -> [[String: Any]] {
        let people = try await app.backend.get(.documents, "/api/v1/directory?perPage=200", token: session.token, as: Listing<Person>.self).items
        let me = session.user?.sub
        return people.sorted { ($0.id.uuidString.lowercased() == me ? 0 : 1) < ($1.id.uuidString.lowercased() == me ? 0 : 1) }.map {
            let id = $0.id.uuidString.lowercased()
            return ["value": id, "label": id == me ? "Tôi (\($0.fullName))" : "\($0.fullName) – \($0.unitName)"]
        }
    }

    static func add(to router: Router<WebApp.Context>, app: WebApp) {
        router.get("danh-ba") { request, _ -> Response in
            await app.page(request) { session in
                let q = request.query("q")
                let people = try await app.backend.get(
                    .documents, "/api/v1/directory?perPage=200" + (q.map { "&q=\($0.urlQueryEncoded)" } ?? ""), token: session.token, as: Listing<Person>.self)
                return app.renderer.page(
                    "directory", title: "Danh bạ", session: session, section: .directory,
                    [
                        "q": q ?? "",
                        "people": people.items.map {
                            ["name": $0.fullName, "unit": $0.unitName, "position": $0.position, "phone": $0.phone ?? "", "email": $0.email ?? ""]
                        },
                    ])
            }
        }
    }
}

/// Tra cứu: one box over incoming and outgoing documents the caller may see, diacritics ignored.
enum SearchPage {
    struct Outgoing: Decodable { var id: UUID; var state: String; var subject: String; var symbol: String?; var documentType: String; var issuedAt: String? }

    static func add(to router: Router<WebApp.Context>, app: WebApp) {
        router.get("tra-cuu") { request, _ -> Response in
            await app.page(request) { session in
                guard let q = request.query("q") else {
                    return app.renderer.page("search", title: "Tra cứu", session: session, section: .search, ["q": ""])
                }
                var filters = ""
                if let urgency = request.query("urgency") { filters += "&urgency=\(urgency.urlQueryEncoded)" }
                if let from = Labels.isoDay(request.query("tu")) { filters += "&from=\(from)" }
                if let to = Labels.isoDay(request.query("den")) { filters += "&to=\(to)" }
                let incoming = try await app.backend.get(
                    .documents, "/api/v1/search?q=\(q.urlQueryEncoded)&perPage=50\(filters)", token: session.token,
                    as: Listing<IncomingPages.Item>.self)
                let outgoing = try await app.backend.get(
                    .documents, "/api/v1/outgoing?q=\(q.urlQueryEncoded)&perPage=50", token: session.token, as: Listing<Outgoing>.self)
                return app.renderer.page(
                    "search", title: "Tra cứu: \(q)", session: session, section: .search,
                    [
                        "q": q, "searched": true, "incoming": incoming.items.map(IncomingPages.row), "incomingTotal": incoming.total,
                        "outgoing": outgoing.items.map {
                            [
                                "href": "/van-ban-di/\($0.id.uuidString.lowercased())", "subject": $0.subject, "symbol": $0.symbol ?? "",
                                "type": $0.documentType, "state": Labels.outgoingState[$0.state] ?? $0.state, "issuedAt": Labels.day($0.issuedAt),
                            ]
                        },
                        "outgoingTotal": outgoing.total, "nothing": incoming.total + outgoing.total == 0,
                        "urgency": request.query("urgency") ?? "", "tu": request.query("tu") ?? "", "den": request.query("den") ?? "",
                    ])
            }
        }
    }
}
