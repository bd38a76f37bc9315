/// Every message type of the contracts, by wire name; `asyncapi.yaml` must describe exactly these.
public enum ContractRegistry {
    public static let allTypes: [any ContractMessage.Type] = [
        DocumentV1.self, StatusV1.self, RecallV1.self, SmsV1.self, SmsReportV1.self, VerifyRequestV1.self,
        VerificationV1.self, NotificationRequestV1.self, DirectoryUserV1.self, DirectoryUnitV1.self,
    ]

    public static func type(named name: String) -> (any ContractMessage.Type)? {
        allTypes.first { $0.messageType == name }
    }
}
