import Contracts
import Foundation
import Testing
import Yams

/// `asyncapi.yaml` and the Swift types must describe the same messages, field for field.
@Suite("asyncapi.yaml agrees with the contract types", .timeLimit(.minutes(1)))
struct AsyncAPIAgreementTests {
    let document: [String: Any]
    init() throws {
        document = try #require(try Yams.load(yaml: AsyncAPI.yaml) as? [String: Any])
    }

    var messages: [String: Any] { (document["components"] as? [String: Any])?["messages"] as? [String: Any] ?? [:] }

    /// Follows `$ref`s inside this document.
    func resolve(_ node: Any?) -> [String: Any] {
        guard let node = node as? [String: Any] else { return [:] }
        guard let ref = node["$ref"] as? String, ref.hasPrefix("#/") else { return node }
        var current: Any? = document
        for part in ref.dropFirst(2).split(separator: "/") { current = (current as? [String: Any])?[String(part)] }
        return resolve(current)
    }

    func payload(of type: String) -> [String: Any] {
        resolve(resolve(messages[type])["payload"])
    }

    /// Compares a JSON value with a schema: the keys of every object, all the way down. Returns mismatches.
    func mismatches(_ value: Any, _ schema: [String: Any], at path: String, requiredOnly: Bool) -> [String] {
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            let expected = Set(requiredOnly ? (schema["required"] as? [String] ?? []) : Array(properties.keys))
            var found: [String] = []
            if Set(object.keys) != expected {
                found.append("\(path): swift has \(object.keys.sorted()), asyncapi has \(expected.sorted())")
            }
            for (key, child) in object {
                found += mismatches(child, resolve(properties[key]), at: "\(path).\(key)", requiredOnly: requiredOnly)
            }
            return found
        }
        if let array = value as? [Any] {
            return array.flatMap { mismatches($0, resolve(schema["items"]), at: "\(path)[]", requiredOnly: requiredOnly) }
        }
        return []
    }

    @Test func everyTypeIsAMessageAndEveryMessageIsAType() {
        let swiftNames = Set(ContractRegistry.allTypes.map { $0.messageType })
        #expect(swiftNames == Set(messages.keys))
        #expect(Set(Samples.all.keys) == swiftNames)
    }

    @Test(arguments: ContractRegistry.allTypes.map { $0.messageType })
    func fieldsMatch(type: String) throws {
        let sample = try #require(Samples.all[type])
        let schema = payload(of: type)
        #expect(!schema.isEmpty, "no payload schema for \(type)")
        #expect(mismatches(try Samples.json(sample.full), schema, at: type, requiredOnly: false) == [])
        #expect(mismatches(try Samples.json(sample.minimal), schema, at: type, requiredOnly: true) == [])
    }

    @Test func enumerationsMatch() {
        func enumeration(_ type: String, _ path: String...) -> Set<String> {
            var schema = payload(of: type)
            for key in path {
                schema = key == "[]" ? resolve(schema["items"]) : resolve((schema["properties"] as? [String: Any])?[key])
            }
            return Set(schema["enum"] as? [String] ?? [])
        }
        #expect(enumeration("document.v1", "urgency") == Set(DocumentV1.Urgency.allCases.map(\.rawValue)))
        #expect(enumeration("status.v1", "status") == Set(DocumentStatus.allCases.map(\.rawValue)))
        #expect(enumeration("sms.v1", "priority") == Set(SmsV1.Priority.allCases.map(\.rawValue)))
        #expect(enumeration("sms-report.v1", "state") == Set(SmsReportV1.State.allCases.map(\.rawValue)))
        #expect(enumeration("verification.v1", "result") == Set(VerificationV1.Result.allCases.map(\.rawValue)))
        #expect(
            enumeration("verification.v1", "signatures", "[]", "revocation", "state")
                == Set(VerificationV1.Revocation.State.allCases.map(\.rawValue)))
        #expect(
            enumeration("verification.v1", "signatures", "[]", "timeSource")
                == Set(VerificationV1.SignatureReport.TimeSource.allCases.map(\.rawValue)))
        #expect(
            enumeration("notification-request.v1", "channels", "[]") == Set(NotificationRequestV1.Channel.allCases.map(\.rawValue)))
    }

    @Test func aFieldOnOneSideOnlyIsCaught() throws {
        // The checker itself must notice a difference, or the agreement tests prove nothing.
        var object = try #require(try Samples.json(Samples.all["sms.v1"]!.full) as? [String: Any])
        object["extra"] = "x"
        #expect(!mismatches(object, payload(of: "sms.v1"), at: "sms.v1", requiredOnly: false).isEmpty)
    }
}
