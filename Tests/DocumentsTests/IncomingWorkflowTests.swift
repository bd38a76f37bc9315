import Contracts
import Foundation
import Testing

@testable import Documents

/// The incoming-document rules, without a database.
@Suite("Incoming workflow", .timeLimit(.minutes(1)))
struct IncomingWorkflowTests {
    let clerk = IncomingActor(id: UUID(), roles: [.clerk])
    let head = IncomingActor(id: UUID(), roles: [.head])
    let leader = IncomingActor(id: UUID(), roles: [.unitLeader])
    let specialist = IncomingActor(id: UUID(), roles: [.specialist])
    let colleague = IncomingActor(id: UUID(), roles: [.specialist])
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var tomorrow: Date { now.addingTimeInterval(86_400) }

    func to(_ actor: IncomingActor, _ role: HandlingRole, unit: UUID? = nil) -> ForwardRecipient {
        ForwardRecipient(user: actor.id, unit: unit, role: role, userRoles: actor.roles)
    }

    func step(_ command: IncomingCommand, by actor: IncomingActor, _ current: IncomingCase) throws -> IncomingWorkflow.Transition {
        try IncomingWorkflow.apply(command, by: actor, to: current, at: now).get()
    }

    func refusal(_ command: IncomingCommand, by actor: IncomingActor, _ current: IncomingCase) -> WorkflowRefusal? {
        if case .failure(let refusal) = IncomingWorkflow.apply(command, by: actor, to: current, at: now) { return refusal }
        return nil
    }

    /// Clerk → head → leader (deadline) → specialist (main) and colleague (co).
    func handedDown() throws -> (IncomingCase, [DocumentStatus]) {
        var statuses: [DocumentStatus] = []
        var current = IncomingCase.registered(fromAgency: true)
        for (command, actor) in [
            (IncomingCommand.forward(to: [to(head, .main)], instruction: nil, deadline: nil), clerk),
            (.forward(to: [to(leader, .main)], instruction: "Giao Văn phòng", deadline: tomorrow), head),
            (.forward(to: [to(specialist, .main), to(colleague, .co)], instruction: "Tham mưu", deadline: nil), leader),
        ] {
            let transition = try step(command, by: actor, current)
            statuses += transition.statuses
            current = transition.next
        }
        return (current, statuses)
    }

    @Test func theWholeChainReportsEachStatusOnceInOrder() throws {
        let (current, statuses) = try handedDown()
        #expect(statuses == [.assigned, .processing])
        let finished = try step(.finish(note: "Đã triển khai"), by: specialist, current)
        #expect(finished.statuses == [.completed])
        #expect(finished.next.state == .finished)
        #expect(finished.next.reported == [.received, .accepted, .assigned, .processing, .completed])
        #expect(finished.next.assignments.filter(\.isOpen).isEmpty)
    }

    @Test func aDeadlineNotGivenIsInheritedDownTheChain() throws {
        let (current, _) = try handedDown()
        let specialistPart = try #require(current.open(for: specialist.id).first)
        #expect(specialistPart.deadline == tomorrow)
        #expect(specialistPart.instruction == "Tham mưu")
    }

    @Test func theClerkRoutesOnlyToTheHeadOrAUnitLeader() {
        let registered = IncomingCase.registered(fromAgency: true)
        #expect(refusal(.forward(to: [to(specialist, .main)], instruction: nil, deadline: nil), by: clerk, registered)?.kind == .invalid)
        #expect(refusal(.forward(to: [to(head, .main)], instruction: nil, deadline: nil), by: specialist, registered)?.kind == .forbidden)
    }

    @Test func aForwardHasExactlyOneMainHandler() throws {
        let routed = try step(.forward(to: [to(head, .main)], instruction: nil, deadline: nil), by: clerk, .registered(fromAgency: true)).next
        #expect(refusal(.forward(to: [to(leader, .co)], instruction: nil, deadline: nil), by: head, routed) != nil)
        #expect(refusal(.forward(to: [to(leader, .main), to(specialist, .main)], instruction: nil, deadline: nil), by: head, routed) != nil)
        #expect(refusal(.forward(to: [to(leader, .main), to(leader, .co)], instruction: nil, deadline: nil), by: head, routed) != nil)
        #expect(refusal(.forward(to: [to(head, .main)], instruction: nil, deadline: nil), by: head, routed) != nil)
        #expect(refusal(.forward(to: [to(leader, .main)], instruction: nil, deadline: now), by: head, routed)?.message == "Hạn xử lý phải sau thời điểm hiện tại.")
    }

    @Test func onlyTheMainHandlerForwardsOrFinishes() throws {
        let (current, _) = try handedDown()
        #expect(refusal(.finish(note: "x"), by: colleague, current)?.kind == .forbidden)
        #expect(refusal(.forward(to: [to(clerk, .main)], instruction: nil, deadline: nil), by: colleague, current)?.kind == .forbidden)
        #expect(refusal(.finish(note: "x"), by: leader, current)?.kind == .forbidden)
        #expect(refusal(.finish(note: "  "), by: specialist, current)?.kind == .invalid)
    }

    @Test func aForwardNobodyActedOnCanBeRecalled() throws {
        let (current, _) = try handedDown()
        let recalled = try step(.recallForward, by: leader, current).next
        #expect(recalled.open(for: specialist.id).isEmpty)
        #expect(recalled.open(for: colleague.id).isEmpty)
        #expect(recalled.open(for: leader.id).map(\.role) == [.main])
        // The leader may now send it elsewhere.
        let again = try step(.forward(to: [to(colleague, .main)], instruction: nil, deadline: nil), by: leader, recalled)
        #expect(again.next.open(for: colleague.id).map(\.role) == [.main])
    }

    @Test func recallIsRefusedAfterARecipientActed() throws {
        let (current, _) = try handedDown()
        let saved = try step(.saveToDossier(name: "Hồ sơ 2026"), by: colleague, current).next
        #expect(refusal(.recallForward, by: leader, saved)?.message == "Người nhận đã xử lý văn bản, không thể thu hồi.")
        #expect(refusal(.recallForward, by: specialist, current)?.kind == .forbidden)
    }

    @Test func theClerkRecallingTheRoutingGetsTheDocumentBack() throws {
        let routed = try step(.forward(to: [to(head, .main)], instruction: nil, deadline: nil), by: clerk, .registered(fromAgency: true)).next
        let back = try step(.recallForward, by: clerk, routed).next
        #expect(back.state == .registered)
        #expect(back.assignments.map(\.state) == [.recalled])
    }

    @Test func theSenderRecallsOnlyWhatNobodyHereTouched() throws {
        let untouched = try step(.senderRecall, by: clerk, .registered(fromAgency: true))
        #expect(untouched.statuses == [.recalled])
        #expect(untouched.next.state == .recalledBySender)
        #expect(refusal(.forward(to: [to(head, .main)], instruction: nil, deadline: nil), by: clerk, untouched.next)?.kind == .conflict)

        let (current, _) = try handedDown()
        let refused = try step(.senderRecall, by: clerk, current)
        #expect(refused.statuses == [.recallRefused])
        #expect(refused.next == current)
    }

    @Test func coHandlersAndReadersCloseTheirOwnPart() throws {
        var (current, _) = try handedDown()
        current = try step(.forward(to: [to(clerk, .main), to(head, .info)], instruction: nil, deadline: nil), by: specialist, current).next
        let read = try step(.completePart(note: nil), by: head, current)
        #expect(read.action == "read")
        let contributed = try step(.completePart(note: "Ý kiến phối hợp"), by: colleague, read.next)
        #expect(contributed.action == "contributed")
        #expect(refusal(.completePart(note: nil), by: colleague, contributed.next) != nil)
    }

    @Test func paperDocumentsReportNothing() throws {
        let routed = try step(.forward(to: [to(head, .main)], instruction: nil, deadline: nil), by: clerk, .registered(fromAgency: false))
        #expect(routed.statuses == [])
        #expect(try step(.senderRecall, by: clerk, .registered(fromAgency: false)).statuses == [])
    }

    @Test func aFinishedDocumentTakesNoMoreSteps() throws {
        let (current, _) = try handedDown()
        let finished = try step(.finish(note: "Xong"), by: specialist, current).next
        for command in [IncomingCommand.finish(note: "x"), .recallForward, .saveToDossier(name: "A"), .completePart(note: nil)] {
            #expect(refusal(command, by: specialist, finished)?.kind == .conflict, "\(command)")
        }
        #expect(try step(.senderRecall, by: clerk, finished).statuses == [.recallRefused])
    }
}
