// The incoming-document and search benchmarks (Benchmarks/README.md), against a Documents process of
// its own on the bench database, started by Benchmarks/run:
//   IncomingBench <documents-url> <admin-password> <partner-amqp-url> <bench-database-url> <our-code> <partner-code>
// Prints `incoming.docs_per_s`, `search.documents`, `search.p50_ms`, `search.p95_ms`; the rest goes to stderr.
import AMQPClient
import Contracts
import Crypto
import Foundation
import PostgresNIO
import ServiceKit
import VietnameseText

let arguments = CommandLine.arguments
guard arguments.count == 7 else {
    FileHandle.standardError.write(Data("usage: IncomingBench <documents-url> <admin-password> <partner-amqp-url> <bench-database-url> <our-code> <partner-code>\n".utf8))
    exit(2)
}
let (documentsURL, adminPassword, partnerURL, databaseURL, ourCode, partnerCode) =
    (arguments[1], arguments[2], arguments[3], arguments[4], arguments[5], arguments[6])
let environment = ProcessInfo.processInfo.environment
let incomingCount = Int(environment["BENCH_INCOMING_COUNT"] ?? "") ?? 2000
let corpusSize = Int(environment["BENCH_SEARCH_DOCUMENTS"] ?? "") ?? 100_000
let queryRounds = Int(environment["BENCH_SEARCH_ROUNDS"] ?? "") ?? 20

func log(_ text: String) { FileHandle.standardError.write(Data("bench: \(text)\n".utf8)) }

let api = BenchAPI(base: documentsURL)
let admin = try await api.adminToken(initialPassword: adminPassword)
try await api.ensureAgency(code: partnerCode, name: "Ủy ban nhân dân tỉnh (bench)", token: admin)
let head = try await api.ensureUser(username: "bench.head", fullName: "Trần Công Huân", roles: ["head"], token: admin)

// ---- incoming: from the partner's publish to Documents' `accepted` --------------------------------
let partner = AMQPConnection(configuration: try AMQPConfiguration(url: partnerURL, connectionName: "bench-partner"))
try await partner.waitUntilConnected()
try await partner.purgeQueue(Routes.inboundQueue(of: partnerCode))
let attachment = (0..<10_240).map { _ in UInt8.random(in: 0...255) }
let sender = AgencyRef(code: partnerCode, name: "Ủy ban nhân dân tỉnh (bench)")
let documents = (0..<incomingCount).map { index in
    DocumentV1(
        documentId: UUID(), from: sender, to: [AgencyRef(code: ourCode, name: "Liên đoàn")], number: index + 1, notation: "UBND-VP",
        issuedAt: CalendarDate(Date()), issuedPlace: "Cao Bằng", documentType: "CV", subject: Corpus.subject(index),
        signer: .init(name: Corpus.signer(index), position: "Phó Chủ tịch"), urgency: .normal,
        attachments: [.init(name: "vb\(index).pdf", contentType: "application/pdf", bytes: attachment)])
}
let bodies = try documents.map { try $0.encoded() }
let wanted = Set(documents.map(\.documentId))
let statuses = try await partner.consume(queue: Routes.inboundQueue(of: partnerCode), prefetch: 256)
let started = ContinuousClock.now
async let accepted: Int = {
    var seen = 0
    for try await delivery in statuses {
        delivery.ack()
        if let status = try? StatusV1.decode(delivery.body), status.status == .accepted, wanted.contains(status.documentId) {
            seen += 1
            if seen == incomingCount { break }
        }
    }
    return seen
}()
try await withThrowingTaskGroup(of: Void.self) { group in
    // 64 publishes in flight: the partner's side is not what is measured.
    for lane in 0..<64 {
        group.addTask {
            for index in stride(from: lane, to: bodies.count, by: 64) {
                try await partner.publish(
                    bodies[index], exchange: Routes.interAgencyExchange, routingKey: Routes.document(to: ourCode),
                    properties: AMQPProperties(
                        messageID: UUID().uuidString, type: DocumentV1.messageType, contentType: "application/json", timestamp: Date(),
                        appID: "bench", userID: partnerCode))
            }
        }
    }
    try await group.waitForAll()
}
let done = try await accepted
let elapsed = ContinuousClock.now - started
await statuses.cancel()
await partner.close()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
guard done == incomingCount else { log("only \(done) of \(incomingCount) documents accepted"); exit(1) }
log("\(incomingCount) documents with a 10 KB attachment registered in \(String(format: "%.2f", seconds)) s")
print("incoming.docs_per_s: \(Int(Double(incomingCount) / seconds))")

// ---- search: 100,000 documents, queries without diacritics, through HTTP ----------------------------
try await Corpus.fill(databaseURL: databaseURL, to: corpusSize)
let queries = [
    "trien khai phan mem", "\"to chuc hoi nghi\"", "phong chong dich benh", "tran cong huan", "chuyen doi so cao bang",
    "bao hiem xa hoi", "tuyen dung vien chuc 2024", "nong thon moi hoa an", "ke hoach phong chay chua chay", "399/ubnd-vp",
    "cai cach hanh chinh", "\"quan ly dat dai\" trung khanh", "hoang thi huynh", "giam ngheo ben vung", "an toan giao thong 2025",
]
var latencies: [Double] = []
for _ in 0..<queryRounds {
    for query in queries {
        let clock = ContinuousClock.now
        let found = try await api.search(query, token: head)
        let spent = ContinuousClock.now - clock
        latencies.append(Double(spent.components.seconds) * 1000 + Double(spent.components.attoseconds) / 1e15)
        if found == 0 { log("no result for \(query)") }
    }
}
let sorted = latencies.sorted()
func percentile(_ p: Double, of values: [Double]) -> Double {
    values[min(values.count - 1, max(0, Int((p * Double(values.count)).rounded(.up)) - 1))]
}
print("search.documents: \(try await Corpus.count(databaseURL: databaseURL))")
print("search.p50_ms: \(String(format: "%.1f", percentile(0.50, of: sorted)))")
print("search.p95_ms: \(String(format: "%.1f", percentile(0.95, of: sorted)))")
