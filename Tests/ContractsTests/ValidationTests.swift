import Contracts
import Foundation
import Testing

@Suite("Validation of contract messages", .timeLimit(.minutes(1)))
struct ValidationTests {
    let now = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24

    @Test func validDocumentPasses() throws {
        try Samples.document().validate(now: now)
    }

    @Test(arguments: ["mat", "toiMat", "tuyetMat", "secret"])
    func secretDocumentIsRefusedWithVietnameseReason(secrecy: String) {
        var document = Samples.document()
        document.secrecy = secrecy
        let found = document.violations(now: now)
        #expect(found.map(\.field) == ["secrecy"])
        #expect(found.first?.message.contains("Văn bản mật") == true)
    }

    @Test func tamperedAttachmentIsRefused() {
        var document = Samples.document()
        document.attachments[0].data = Data(Array("%PDF-1.4 công văn 398".utf8)).base64EncodedString()
        #expect(document.violations(now: now).map(\.field) == ["attachments[0].sha256"])
    }

    @Test func attachmentOfAnotherSizeIsRefused() {
        var document = Samples.document()
        document.attachments[0].size += 1
        #expect(document.violations(now: now).map(\.field) == ["attachments[0].size"])
    }

    @Test func documentFromTheFutureOrDueBeforeIssueIsRefused() {
        var document = Samples.document()
        document.issuedAt = CalendarDate("2030-01-01")!
        document.dueDate = CalendarDate("2029-12-31")
        #expect(Set(document.violations(now: now).map(\.field)) == ["issuedAt", "dueDate"])
    }

    @Test func missingSubjectAndRecipientsAreAllReportedAtOnce() {
        var document = Samples.document()
        document.subject = "  "
        document.to = []
        let error = #expect(throws: ContractViolations.self) { try document.validate(now: now) }
        #expect(Set(error?.violations.map(\.field) ?? []) == ["subject", "to"])
        #expect(error?.description.contains("Thiếu trích yếu") == true)
    }

    @Test(arguments: ["000.00.00.H10", "H01.151", "G22", "000.00.01.H10.ABC"])
    func agencyCodesOfAnyShapeAreAccepted(code: String) {
        #expect(AgencyCode.isValid(code))
    }

    @Test(arguments: ["", ".H10", "H10.", "000..H10", "H10 ", "H10/1", "Đ10", String(repeating: "1", count: 65)])
    func malformedAgencyCodesAreRefused(code: String) {
        #expect(!AgencyCode.isValid(code))
    }

    @Test func bodyThatIsNotTheMessageBecomesAViolationNotACrash() {
        let error = #expect(throws: ContractViolations.self) { _ = try DocumentV1.decode(Array("{\"documentId\":1}".utf8)) }
        #expect(error?.violations.first?.message.contains("document.v1") == true)
        #expect(throws: ContractViolations.self) { _ = try DocumentV1.decode(Array("not json".utf8)) }
    }

    @Test func messagesSurviveARoundTrip() throws {
        let document = Samples.document()
        #expect(try DocumentV1.decode(document.encoded()) == document)
        let status = StatusV1(documentId: UUID(), from: Samples.recipient, to: Samples.sender, status: .received, at: now)
        #expect(try StatusV1.decode(status.encoded()) == status)
    }

    @Test func textIsNormalisedToNFC() {
        var document = Samples.document()
        document.subject = "Công văn".decomposedStringWithCanonicalMapping
        #expect(document.subject.unicodeScalars.count != "Công văn".unicodeScalars.count)
        #expect(document.normalized().subject.unicodeScalars.elementsEqual("Công văn".unicodeScalars))
    }

    @Test(arguments: [
        ("+84912345678", true), ("0912345678", false), ("+84912345", true), ("+8491234", false), ("+849123456789012345", false), ("+84 912", false),
        ("+0912345678", false),
    ])
    func phoneNumbersMustBeE164(number: String, valid: Bool) {
        #expect(SmsV1.isE164(number) == valid)
    }

    @Test func smsMustBeShortPrintableASCII() {
        let long = SmsV1(smsId: UUID(), to: "+84912345678", text: String(repeating: "a", count: 161), ttlSeconds: 60)
        #expect(long.violations(now: now).first?.message.contains("161") == true)
        let accented = SmsV1(smsId: UUID(), to: "+84912345678", text: "Họp lúc 8h", ttlSeconds: 60)
        #expect(accented.violations(now: now).map(\.field) == ["text"])
        let exact = SmsV1(smsId: UUID(), to: "+84912345678", text: String(repeating: "a", count: 160), ttlSeconds: 60)
        #expect(exact.violations(now: now).isEmpty)
    }

    @Test func rejectionWithoutReasonIsRefused() {
        let status = StatusV1(documentId: UUID(), from: Samples.recipient, to: Samples.sender, status: .rejected, at: now)
        #expect(status.violations(now: now).map(\.field) == ["note"])
    }

    @Test(arguments: zip(DocumentStatus.allCases, ["01", "02", "03", "04", "05", "06", "15", "16"]))
    func statusesMapOntoEdxmlCodes(status: DocumentStatus, code: String) {
        #expect(status.edxmlCode == code)
    }

    @Test func finalSmsStatesAreFinal() {
        #expect(SmsReportV1.State.allCases.filter(\.isFinal) == [.delivered, .failed, .expired])
    }

    @Test(arguments: [("2024-02-29", true), ("2023-02-29", false), ("2019-04-31", false), ("2019-7-26", false), ("2019-07-26", true)])
    func calendarDatesMustExist(text: String, valid: Bool) {
        #expect((CalendarDate(text) != nil) == valid)
        if valid { #expect(CalendarDate(text)?.description == text) }
    }

    @Test func routingKeysFollowTheContract() {
        #expect(Routes.document(to: "000.00.00.H10") == "document.000.00.00.H10")
        #expect(Routes.inboundQueue(of: "H01.151") == "documents.inbound.H01.151")
        #expect(Routes.inboundBinding(of: "H01.151") == "*.H01.151")
    }
}

@Suite("Identifiers on the wire", .timeLimit(.minutes(1)))
struct WireIdentifierTests {
    @Test func everyIdentifierIsWrittenInLowerCaseAndReadInAnyCase() throws {
        let id = UUID()
        let request = NotificationRequestV1(requestId: id, recipients: [id, UUID()], channels: [.inApp], title: "Họp", body: "Lúc 8 giờ")
        let json = String(decoding: try request.encoded(), as: UTF8.self)
        #expect(json.contains(id.uuidString.lowercased()))
        #expect(!json.contains(id.uuidString.uppercased()))
        let upper = json.replacingOccurrences(of: id.uuidString.lowercased(), with: id.uuidString.uppercased())
        #expect(try NotificationRequestV1.decode(Array(upper.utf8)).requestId == id)
    }

    @Test func aStatusEchoesTheSendersSpellingOfItsDocumentIdAndOnlyAValidOne() throws {
        let id = UUID()
        let us = AgencyRef(code: "000.00.00.H10", name: "A"), them = AgencyRef(code: "000.00.00.H11", name: "B")
        let echoed = StatusV1(documentId: id, from: us, to: them, status: .received, at: Date(), documentIdAsSent: id.uuidString.uppercased())
        #expect(String(decoding: try echoed.encoded(), as: UTF8.self).contains("\"documentId\":\"\(id.uuidString.uppercased())\""))
        // Another id's spelling is never written in place of this one.
        let mismatched = StatusV1(documentId: id, from: us, to: them, status: .received, at: Date(), documentIdAsSent: UUID().uuidString)
        #expect(String(decoding: try mismatched.encoded(), as: UTF8.self).contains("\"documentId\":\"\(id.uuidString.lowercased())\""))
        #expect(ContractCoding.documentIdAsSent(in: Array("{\"documentId\":\"\(id.uuidString.uppercased())\"}".utf8)) == id.uuidString.uppercased())
        #expect(ContractCoding.documentIdAsSent(in: Array("{\"documentId\":\"not-a-uuid\"}".utf8)) == nil)
    }
}
