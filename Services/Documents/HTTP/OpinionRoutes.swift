import Contracts
import Foundation
import Hummingbird
import PostgresNIO
import ServiceKit
import VietnameseText

/// Lấy ý kiến: `POST /api/v1/opinions` `{subject, question?, outgoingId?|incomingId?, askedUserIds, askedUnitIds,
/// deadline}`, `GET /api/v1/opinions?view=mine|asked`, `GET /api/v1/opinions/{id}`, `POST
/// /api/v1/opinions/{id}/reply` `{text}`. The asked are told in the app; a unit asked means its members
/// when the request is made.
struct OpinionRoutes {
    let accounts: Accounts
    var logger: Logger { accounts.logger }

    struct NewRequest: Decodable {
        var subject: String
        var question: String?
        var incomingId: UUID?
        var outgoingId: UUID?
        var askedUserIds: [UUID]?
        var askedUnitIds: [UUID]?
        var deadline: Date
    }

    struct Reply: Decodable { var text: String }

    func add(to api: RouterGroup<ServiceRequestContext>) {
        api.post("opinions") { request, context -> EditedResponse<OpinionStore.View> in
            let caller = try context.requireCaller()
            let body = try await request.json(NewRequest.self, context: context, limit: 256 << 10)
            let subject = VietnameseText.clean(body.subject)
            let question = VietnameseText.nfc(body.question ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let id = UUID()
            let view = try await DatabaseProblem.transaction(on: accounts.client, label: "yêu cầu xin ý kiến", logger: logger) { connection -> OpinionStore.View in
                let users = Array(Set(body.askedUserIds ?? []).subtracting([caller.id])).prefix(OpinionRules.maximumAsked + 1)
                let units = Array(Set(body.askedUnitIds ?? [])).prefix(100)
                var asked = Set<UUID>()
                for try await user in try await connection.query(
                    """
                    select id from users where active and id <> \(caller.id) and (id = any(\(Array(users))) or unit_id = any(\(Array(units))))
                    """, logger: logger
                ).decode(UUID.self) { asked.insert(user) }
                guard Set(users).isSubset(of: asked) else {
                    throw ProblemDetails.invalid([.init(field: "askedUserIds", message: "Có người được hỏi không tồn tại hoặc đã nghỉ.")])
                }
                let problems = OpinionRules.problems(subject: subject, question: question, asked: asked.count, deadline: body.deadline, now: Date())
                guard problems.isEmpty else { throw ProblemDetails.invalid(problems.map { .init(field: $0.field, message: $0.message) }) }
                // What it is about must be something the asker may open.
                if let incoming = body.incomingId,
                    try await IncomingQueries.canSee(incoming, viewer: .init(caller: caller), on: connection, logger: logger) != true
                {
                    throw ProblemDetails.invalid([.init(field: "incomingId", message: "Không tìm thấy văn bản đến này.")])
                }
                if let outgoing = body.outgoingId,
                    try await OutgoingQueries.canSee(
                        outgoing, viewer: .init(caller: caller), on: connection, logger: logger) != true
                {
                    throw ProblemDetails.invalid([.init(field: "outgoingId", message: "Không tìm thấy văn bản đi này.")])
                }
                try await connection.query(
                    """
                    insert into opinions (id, asker_id, subject, question, incoming_id, outgoing_id, deadline)
                    values (\(id), \(caller.id), \(subject), \(question), \(body.incomingId), \(body.outgoingId), \(body.deadline))
                    """, logger: logger)
                try await connection.query(
                    "insert into opinion_asked (opinion_id, user_id) select \(id), unnest(\(Array(asked))::uuid[])", logger: logger)
                try await TaskRoutes.tell(
                    Array(asked), title: "Xin ý kiến: \(subject)", body: "\(caller.fullName) xin ý kiến, hạn \(DeadlineWatch.vietnamTime(body.deadline)).",
                    link: "/y-kien/\(id.uuidString.lowercased())", on: connection, logger: logger)
                var binds = PostgresBindings()
                try binds.encode(id)
                guard var view = try await OpinionStore.views(where: "o.id = $1", binds, on: connection, logger: logger).first else {
                    throw ProblemDetails.notFound("Không tìm thấy yêu cầu xin ý kiến.")
                }
                view.answers = try await OpinionStore.answers(id, only: nil, on: connection, logger: logger)
                return view
            }
            return EditedResponse(status: .created, response: view)
        }
        api.get("opinions") { request, context -> [OpinionStore.View] in
            let caller = try context.requireCaller()
            let view = request.uri.queryParameters.get("view") ?? "asked"
            guard view == "mine" || view == "asked" else {
                throw ProblemDetails.invalid([.init(field: "view", message: "Chọn mine (tôi hỏi) hoặc asked (hỏi tôi).")])
            }
            var binds = PostgresBindings()
            try binds.encode(caller.id)
            return try await accounts.client.withConnection { connection in
                try await OpinionStore.views(
                    where: view == "mine" ? "o.asker_id = $1" : "exists (select 1 from opinion_asked a where a.opinion_id = o.id and a.user_id = $1)",
                    binds, on: connection, logger: logger)
            }
        }
        api.get("opinions/:id") { _, context -> OpinionStore.View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "yêu cầu xin ý kiến")
            return try await accounts.client.withConnection { connection in try await visible(id, caller, connection) }
        }
        api.post("opinions/:id/reply") { request, context -> OpinionStore.View in
            let caller = try context.requireCaller()
            let id = try UUID.parameter("id", of: context, what: "yêu cầu xin ý kiến")
            let text = VietnameseText.nfc(try await request.json(Reply.self, context: context, limit: 256 << 10).text)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = OpinionRules.answerProblem(text) { throw ProblemDetails.invalid([.init(field: "text", message: problem)]) }
            return try await DatabaseProblem.transaction(on: accounts.client, label: "ý kiến", logger: logger) { connection in
                var found = false
                for try await _ in try await connection.query(
                    """
                    update opinion_asked set answer = \(text), answered_at = now() where opinion_id = \(id) and user_id = \(caller.id) returning 1
                    """, logger: logger) { found = true }
                // Only those asked answer; anyone else gets the same 404 as for nothing.
                guard found else { throw ProblemDetails.notFound("Không tìm thấy yêu cầu xin ý kiến.") }
                return try await visible(id, caller, connection)
            }
        }
    }

    /// The request as `caller` may see it: the asker with every answer, an asked person with their own.
    private func visible(_ id: UUID, _ caller: Caller, _ connection: PostgresConnection) async throws -> OpinionStore.View {
        var binds = PostgresBindings()
        try binds.encode(id)
        try binds.encode(caller.id)
        guard
            var view = try await OpinionStore.views(
                where: "o.id = $1 and (o.asker_id = $2 or exists (select 1 from opinion_asked a where a.opinion_id = o.id and a.user_id = $2))",
                binds, on: connection, logger: logger
            ).first
        else { throw ProblemDetails.notFound("Không tìm thấy yêu cầu xin ý kiến.") }
        var asker = false
        for try await value in try await connection.query("select asker_id = \(caller.id) from opinions where id = \(id)", logger: logger)
            .decode(Bool.self) { asker = value }
        view.answers = try await OpinionStore.answers(id, only: asker ? nil : caller.id, on: connection, logger: logger)
        return view
    }
}

extension OpinionStore.View: ResponseCodable {}
