import Contracts
import Logging
import PostgresNIO
import ServiceKit

/// Consumes `notify.sms.reports`: the gateway's `sms-report.v1`, applied through `SmsState` so that a
/// repeated or late report never moves an SMS back.
struct ReportHandler: MessageHandler {
    func handle(_ message: IncomingMessage, connection: PostgresConnection, logger: Logger) async throws {
        let report = try message.contract(SmsReportV1.self)
        if try await !NotifyStore.report(report, on: connection, logger: logger) {
            logger.info("sms report changes nothing", metadata: ["sms": "\(report.smsId)", "state": "\(report.state.rawValue)"])
        }
    }
}
