import Contracts
import Crypto
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Consumes `documents.inbound.<ourCode>`: documents, statuses and recalls other agencies send us.
/// Runs inside the queue worker's transaction: a document is stored, registered and answered, or
/// refused and answered, or nothing at all.
struct InboundHandler: MessageHandler {
    let us: AgencyRef
    var limits = ArrivalCheck.Limits()

    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        switch message.type {
        case DocumentV1.messageType: try await arrival(message, connection, logger)
        case RecallV1.messageType: try await recall(message, connection, logger)
        case StatusV1.messageType: try await status(message, connection, logger)
        default:
            throw MessageRejected("loại thông điệp không được hỗ trợ (unsupported type \(message.type ?? "none"))")
        }
    }

    private func arrival(_ message: IncomingMessage, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let agencies = try await IncomingStore.agencies(on: connection, logger: logger)
        guard case .known(let sender) = ArrivalCheck.sender(brokerUser: message.properties.userID, agencies: agencies) else {
            throw MessageRejected("người gửi không có trong danh mục cơ quan (unknown sender \(message.properties.userID ?? "none"))")
        }
        let document: DocumentV1
        do {
            document = try DocumentV1.decode(message.body).normalized()
        } catch {
            // Without a document id there is nothing to answer; the raw message stays in the dead-letter queue.
            throw MessageRejected("\(error)")
        }
        let now = Date()
        let problems = ArrivalCheck.problems(document, brokerUser: sender.code, ourCode: us.code, limits: limits, now: now)
        let hash = Self.hash(try document.encoded())
        if problems.isEmpty, let existing = try await IncomingStore.existing(
            senderCode: sender.code, documentId: document.documentId, on: connection, logger: logger)
        {
            if existing.hash == hash {
                logger.info("identical resend ignored", metadata: ["document": "\(existing.id)"])
                return
            }
            try await refuse(
                message, sender: sender, documentId: document.documentId,
                reason: "Văn bản \(document.documentId) đã được nhận trước đó với nội dung khác; đề nghị gửi với mã văn bản mới.",
                now: now, connection, logger)
            return
        }
        guard problems.isEmpty else {
            try await refuse(
                message, sender: sender, documentId: document.documentId, reason: problems.joined(separator: " "), now: now, connection,
                logger)
            return
        }
        guard let register = try await IncomingStore.defaultIncomingRegister(on: connection, logger: logger) else {
            // Not the sender's fault: the document waits until an admin opens a register.
            throw NoIncomingRegister()
        }
        let record = IncomingRecord(
            // The catalog's name for the code the broker verified: what the sender calls itself is not shown.
            id: UUID(), registerId: register, source: .agency, senderCode: sender.code, senderName: sender.name,
            senderDocumentId: document.documentId, senderDocumentText: ContractCoding.documentIdAsSent(in: message.body), contentHash: hash, number: document.number, notation: document.notation,
            issuedAt: document.issuedAt, issuedPlace: document.issuedPlace, documentType: document.documentType,
            subject: document.subject, signerName: document.signer.name, signerPosition: document.signer.position,
            urgency: document.urgency, paperCopyFollows: document.paperCopyFollows, senderDueDate: document.dueDate, registeredBy: nil,
            attachments: document.attachments.map {
                .init(id: UUID(), name: $0.name, contentType: $0.contentType, bytes: $0.bytes ?? [], sha256: $0.sha256.lowercased())
            })
        try await IncomingStore.store(record, at: now, on: connection, logger: logger)
        // Decree 30/2020: the clerk checks the signatures of what arrives; the verdict comes back on documents.events.
        for file in record.attachments where SignatureRequests.isPDF(contentType: file.contentType, bytes: file.bytes) {
            try await connection.query("update incoming_attachments set verification = 'pending' where id = \(file.id)", logger: logger)
            try await SignatureRequests.enqueue(file: file.id, bytes: file.bytes, sha256: file.sha256, on: connection, logger: logger)
        }
        try await StatusReplies.send(
            [.received, .accepted], documentId: document.documentId, asSent: record.senderDocumentText, to: sender, from: us, at: now, on: connection, logger: logger)
        let number = try await IncomingStore.number(record.id, on: connection, logger: logger)
        try await IncomingStore.history(
            record.id, actor: (nil, sender.name), action: "received", comment: "Số đến \(number)", at: now, on: connection, logger: logger)
    }

    /// What another agency reports about a document we issued, recorded on that recipient.
    private func status(_ message: IncomingMessage, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let agencies = try await IncomingStore.agencies(on: connection, logger: logger)
        guard case .known(let sender) = ArrivalCheck.sender(brokerUser: message.properties.userID, agencies: agencies) else {
            throw MessageRejected("người gửi không có trong danh mục cơ quan (unknown sender \(message.properties.userID ?? "none"))")
        }
        let status: StatusV1
        do {
            status = try StatusV1.decode(message.body)
        } catch {
            throw MessageRejected("\(error)")
        }
        guard status.from.code == sender.code else {
            throw MessageRejected("trạng thái gửi thay cơ quan khác (status from \(status.from.code) sent by \(sender.code))")
        }
        guard try await OutgoingIssuance.recordStatus(status, on: connection, logger: logger) else {
            throw MessageRejected("không có văn bản đi \(status.documentId) gửi \(sender.code) (no such outgoing document)")
        }
    }

    private func recall(_ message: IncomingMessage, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let agencies = try await IncomingStore.agencies(on: connection, logger: logger)
        guard case .known(let sender) = ArrivalCheck.sender(brokerUser: message.properties.userID, agencies: agencies) else {
            throw MessageRejected("người gửi không có trong danh mục cơ quan (unknown sender \(message.properties.userID ?? "none"))")
        }
        let recall = try RecallV1.decode(message.body)
        guard recall.from.code == sender.code,
            let existing = try await IncomingStore.existing(senderCode: sender.code, documentId: recall.documentId, on: connection, logger: logger),
            let current = try await IncomingStore.loadCase(existing.id, on: connection, logger: logger)
        else {
            throw MessageRejected("không có văn bản \(recall.documentId) của \(sender.code) để thu hồi (nothing to recall)")
        }
        let now = Date()
        let actor = IncomingActor(id: UUID(), roles: [])
        guard case .success(let transition) = IncomingWorkflow.apply(.senderRecall, by: actor, to: current, at: now) else { return }
        try await IncomingStore.save(transition, of: existing.id, actor: (nil, sender.name), at: now, on: connection, logger: logger)
        let note = transition.statuses == [.recallRefused] ? "Văn bản đã được xử lý tại cơ quan nhận, không thể thu hồi." : nil
        try await StatusReplies.send(
            transition.statuses, documentId: recall.documentId, asSent: ContractCoding.documentIdAsSent(in: message.body), to: sender, from: us, note: note, at: now, on: connection, logger: logger)
    }

    private func refuse(
        _ message: IncomingMessage, sender: AgencyRef, documentId: UUID, reason: String, now: Date, _ connection: PostgresConnection,
        _ logger: Logger
    ) async throws {
        logger.notice("document refused", metadata: ["sender": "\(sender.code)", "reason": "\(reason)"])
        try await IncomingStore.reject(
            messageID: message.messageID, type: message.type, brokerUser: message.properties.userID, senderCode: sender.code,
            documentId: documentId.uuidString.lowercased(), reason: reason, body: message.body, on: connection, logger: logger)
        try await StatusReplies.send(
            [.rejected], documentId: documentId, asSent: ContractCoding.documentIdAsSent(in: message.body), to: sender, from: us, note: reason, at: now, on: connection, logger: logger)
    }

    static func hash(_ body: [UInt8]) -> String {
        SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }

    struct NoIncomingRegister: WaitsForOperator, CustomStringConvertible {
        var description: String { "no active incoming register: create one (sổ văn bản đến) in the catalog" }
    }
}
