import Contracts
import Foundation
import Testing

@testable import Documents

/// The pure rules of outgoing documents: electronic or paper, the symbol, the approval steps.
@Suite("Outgoing document rules", .timeLimit(.minutes(1)))
struct OutgoingRulesTests {
    struct PaperCase: Sendable, CustomTestStringConvertible {
        var type: String?
        var flags: DeliveryFlags
        var secret = false
        var expected: Delivery
        var why: String
        var testDescription: String { why }
    }

    /// Seed §4.1 (electronic only) and §4.2 (electronic + paper), and secrecy.
    static let paperCases: [PaperCase] = [
        .init(type: "GM", flags: .init(), expected: .electronic, why: "giấy mời họp: chỉ bản điện tử (§4.1b)"),
        .init(type: "BC", flags: .init(), expected: .electronic, why: "báo cáo định kỳ: chỉ bản điện tử"),
        .init(type: "KH", flags: .init(), expected: .electronic, why: "kế hoạch không liên quan kinh phí: chỉ bản điện tử"),
        .init(type: "KH", flags: .init(budget: true), expected: .electronicAndPaper, why: "kế hoạch có kinh phí: kèm bản giấy (§4.2d)"),
        .init(type: "QĐ", flags: .init(budget: true), expected: .electronicAndPaper, why: "quyết định về ngân sách: kèm bản giấy"),
        .init(type: "QĐ", flags: .init(staffing: true), expected: .electronicAndPaper, why: "quyết định về biên chế: kèm bản giấy"),
        .init(type: "QĐ", flags: .init(), expected: .electronic, why: "quyết định thông thường: chỉ bản điện tử"),
        .init(type: "TTr", flags: .init(submissionToCommittee: true), expected: .electronicAndPaper, why: "tờ trình UBND: kèm bản giấy (§4.2c)"),
        .init(type: nil, flags: .init(directive: true), expected: .electronicAndPaper, why: "công văn chỉ đạo: kèm bản giấy (§4.2d)"),
        .init(type: nil, flags: .init(), expected: .electronic, why: "công văn để biết, phối hợp: chỉ bản điện tử (§4.1b)"),
        .init(type: "QĐ", flags: .init(legalNormative: true), expected: .electronicAndPaper, why: "văn bản quy phạm pháp luật: kèm bản giấy (§4.2a)"),
        .init(type: "NQ", flags: .init(), expected: .electronicAndPaper, why: "nghị quyết: kèm bản giấy"),
        .init(type: "QĐ", flags: .init(administrativeProcedure: true), expected: .electronicAndPaper, why: "ban hành thủ tục hành chính: kèm bản giấy"),
        .init(type: "SY", flags: .init(), expected: .electronic, why: "bản sao y: chỉ bản điện tử"),
        .init(type: "GM", flags: .init(), secret: true, expected: .paperOnly, why: "văn bản mật: không gửi điện tử"),
        .init(type: "QĐ", flags: .init(budget: true), secret: true, expected: .paperOnly, why: "quyết định mật về ngân sách: chỉ bản giấy"),
    ]

    @Test(arguments: paperCases)
    func theDefaultFollowsTheRules(_ rule: PaperCase) throws {
        #expect(DeliveryRules.required(typeAbbreviation: rule.type, flags: rule.flags, secret: rule.secret) == rule.expected)
        #expect(try DeliveryRules.resolve(paper: nil, typeAbbreviation: rule.type, flags: rule.flags, secret: rule.secret).get() == rule.expected)
    }

    @Test func theAuthorMayAddPaperButNeverDropIt() throws {
        #expect(try DeliveryRules.resolve(paper: true, typeAbbreviation: "GM", flags: .init(), secret: false).get() == .electronicAndPaper)
        #expect(try DeliveryRules.resolve(paper: false, typeAbbreviation: "GM", flags: .init(), secret: false).get() == .electronic)
        guard case .failure(let refusal) = DeliveryRules.resolve(paper: false, typeAbbreviation: "QĐ", flags: .init(budget: true), secret: false)
        else { Issue.record("paper dropped where required"); return }
        #expect(refusal.message.contains("bản giấy"))
        // A secret document stays on paper whatever is asked.
        #expect(try DeliveryRules.resolve(paper: false, typeAbbreviation: "CV", flags: .init(), secret: true).get() == .paperOnly)
    }

    @Test func symbolsFollowDecree30() {
        let decision = DocumentSymbol.notation(typeAbbreviation: "QĐ", agency: "UBND", draftingUnit: "VP")
        #expect(DocumentSymbol.symbol(number: 12, notation: decision) == "12/QĐ-UBND")
        #expect(DocumentSymbol.symbol(number: 5, notation: decision) == "05/QĐ-UBND")
        let letter = DocumentSymbol.notation(typeAbbreviation: nil, agency: "LĐLĐ", draftingUnit: "VP")
        #expect(DocumentSymbol.symbol(number: 399, notation: letter) == "399/LĐLĐ-VP")
        #expect(DocumentSymbol.symbol(number: 10, notation: letter) == "10/LĐLĐ-VP")
        // A Công văn drafted by the agency itself (its root unit) carries no unit part.
        #expect(DocumentSymbol.notation(typeAbbreviation: nil, agency: "LĐLĐ", draftingUnit: "LĐLĐ") == "LĐLĐ")
    }

    // MARK: - Approval steps

    let author = OutgoingActor(id: UUID(), roles: [.specialist])
    let leader = OutgoingActor(id: UUID(), roles: [.unitLeader])
    let head = OutgoingActor(id: UUID(), roles: [.head])
    let clerk = OutgoingActor(id: UUID(), roles: [.clerk])
    func reviewer(_ actor: OutgoingActor) -> Reviewer { Reviewer(id: actor.id, roles: actor.roles) }

    func step(_ command: OutgoingCommand, by actor: OutgoingActor, _ current: OutgoingCase) throws -> OutgoingCase {
        try OutgoingWorkflow.apply(command, by: actor, to: current).get().next
    }

    func refusal(_ command: OutgoingCommand, by actor: OutgoingActor, _ current: OutgoingCase) -> WorkflowRefusal? {
        if case .failure(let refusal) = OutgoingWorkflow.apply(command, by: actor, to: current) { return refusal }
        return nil
    }

    @Test func draftToApprovedThroughAReturnAndTheHead() throws {
        var current = OutgoingCase.drafted(by: author.id)
        current = try step(.submit(to: reviewer(leader), comment: nil), by: author, current)
        #expect(current.state == .inReview && current.holder == leader.id)
        // Only the holder acts; the author cannot approve their own draft.
        #expect(refusal(.approve(sendTo: reviewer(head), comment: nil), by: author, current)?.kind == .forbidden)
        #expect(refusal(.returnForRevision(comment: " "), by: leader, current)?.kind == .invalid)
        current = try step(.returnForRevision(comment: "Sửa trích yếu"), by: leader, current)
        #expect(current.state == .returned && current.holder == author.id)
        current = try step(.revise(comment: nil), by: author, current)
        current = try step(.submit(to: reviewer(leader), comment: nil), by: author, current)
        // A unit leader approves by sending to the head, who must be a head.
        #expect(refusal(.approve(sendTo: nil, comment: nil), by: leader, current)?.kind == .invalid)
        #expect(refusal(.approve(sendTo: reviewer(author), comment: nil), by: leader, current)?.kind == .invalid)
        current = try step(.approve(sendTo: reviewer(head), comment: nil), by: leader, current)
        #expect(current.state == .inReview && current.holder == head.id)
        current = try step(.approve(sendTo: nil, comment: "Đồng ý ban hành"), by: head, current)
        #expect(current.state == .approved && current.holder == nil)
        #expect(refusal(.issue, by: head, current)?.kind == .forbidden)
        current = try step(.issue, by: clerk, current)
        #expect(current.state == .issued)
    }

    @Test func aDraftIsRecalledOnlyBeforeTheReceiverActs() throws {
        var current = try step(.submit(to: reviewer(leader), comment: nil), by: author, .drafted(by: author.id))
        let recalled = try step(.recallDraft, by: author, current)
        #expect(recalled.state == .draft && recalled.holder == author.id)
        current = try step(.revise(comment: "Lãnh đạo sửa trực tiếp"), by: leader, current)
        #expect(refusal(.recallDraft, by: author, current)?.kind == .conflict)
    }

    @Test func theAuthorOrTheLeaderHoldingItDeletesADraftAndOnlyBeforeIssue() throws {
        let draft = OutgoingCase.drafted(by: author.id)
        #expect(refusal(.delete, by: leader, draft)?.kind == .forbidden)
        #expect(try step(.delete, by: author, draft).state == .deleted)
        let submitted = try step(.submit(to: reviewer(leader), comment: nil), by: author, draft)
        #expect(refusal(.delete, by: author, submitted)?.kind == .conflict)
        // Seed §3.2: the leader it was sent to may delete a draft that will not be issued; another may not.
        #expect(refusal(.delete, by: head, submitted)?.kind == .forbidden)
        #expect(try step(.delete, by: leader, submitted).state == .deleted)
    }

    @Test func anIssuedDocumentIsRecalledOnlyWhileNobodyActed() throws {
        let issued = OutgoingCase(state: .issued, author: author.id, holder: nil, sentBy: nil, holderActed: false, number: 7)
        let refused = refusal(.recallIssued(recipientsActed: ["Ban Tổ chức"]), by: clerk, issued)
        #expect(refused?.kind == .conflict)
        #expect(refused?.message.contains("Ban Tổ chức") == true)
        let recalled = try step(.recallIssued(recipientsActed: []), by: clerk, issued)
        #expect(recalled.state == .recalled && recalled.number == 7)
        #expect(try OutgoingWorkflow.apply(.issue, by: clerk, to: recalled).get().action == "reissued")
    }

    @Test func theSignatureGateWaitsForPassedAndLogsAnOverride() throws {
        #expect(try SignatureGate.check(required: true, verdict: .passed, override: false).get() == false)
        #expect(try SignatureGate.check(required: false, verdict: nil, override: false).get() == false)
        #expect(try SignatureGate.check(required: true, verdict: .indeterminate, override: true).get() == true)
        for verdict in [SignatureGate.Verdict.pending, .indeterminate, .failed] {
            guard case .failure = SignatureGate.check(required: true, verdict: verdict, override: false) else {
                Issue.record("\(verdict) let the document through")
                continue
            }
        }
        guard case .failure = SignatureGate.check(required: true, verdict: .failed, override: true) else {
            Issue.record("failed signature overridden")
            return
        }
    }

    @Test func aLaterOrFurtherStatusStandsAndAnEarlierOneNeverUndoesIt() {
        let second = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(RecipientStatus.supersedes("received", at: second, current: "sent", currentAt: nil))
        #expect(RecipientStatus.supersedes("accepted", at: second, current: "received", currentAt: second))
        #expect(!RecipientStatus.supersedes("received", at: second, current: "accepted", currentAt: second))
        #expect(!RecipientStatus.supersedes("completed", at: second.addingTimeInterval(-1), current: "accepted", currentAt: second))
        #expect(RecipientStatus.supersedes("recallRefused", at: second.addingTimeInterval(5), current: "recallSent", currentAt: second))
    }
}
