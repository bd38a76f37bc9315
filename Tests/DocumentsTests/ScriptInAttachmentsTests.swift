import Contracts
import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@testable import Documents

/// A partner's files are untrusted: whatever type it declares, only a real PDF or plain image is served
/// inline; HTML, SVG and a "PDF" that is not one come back as downloads, and every file response forbids
/// running anything (CSP sandbox) and sniffing.
@Suite("Script in a partner's attachments", .serialized, .timeLimit(.minutes(3)))
struct ScriptInAttachmentsTests {
    struct Detail: Decodable { var attachments: [File] }
    struct File: Decodable { var id: UUID; var name: String }

    @Test func htmlSvgAndFakePdfAttachmentsAreServedAsDownloadsThatCannotRunAndARealPdfInline() async throws {
        let ourCode = IncomingEndToEndTests.ourCode()
        try await DocumentsHarness.with(us: AgencyRef(code: ourCode, name: "Liên đoàn")) { harness in
            let partner = try await PartnerAgency.connect(name: "Sở Thông tin và Truyền thông")
            defer { Task { await partner.close() } }
            try await harness.application.test(.router) { client in
                let office = try await Office.make(client)
                _ = try await client.send(
                    .post, "/api/v1/agencies", token: office.admin, json: IncomingEndToEndTests.Agency(code: partner.code, name: partner.name))
                let script = "<script>fetch('/api/v1/users',{method:'POST'})</script>"
                let files: [(name: String, type: String, bytes: [UInt8], inline: Bool)] = [
                    ("thu-moi.html", "text/html", Array("<html><body>\(script)</body></html>".utf8), false),
                    ("logo.svg", "image/svg+xml", Array("<svg xmlns='http://www.w3.org/2000/svg'>\(script)</svg>".utf8), false),
                    ("cong-van.pdf", "application/pdf", Array("<html>\(script)</html>".utf8), false),
                    ("cv399.pdf", "application/pdf", SampleDocuments.pdf, true),
                ]
                var document = SampleDocuments.document(from: partner.ref, to: ourCode)
                document.attachments = files.map { file in
                    .init(
                        name: file.name, contentType: file.type, sha256: SHA256.hash(data: file.bytes).map { String(format: "%02x", $0) }.joined(),
                        size: file.bytes.count, data: Data(file.bytes).base64EncodedString())
                }
                try await withInbound(harness, ourCode: ourCode) { _ in
                    try await partner.send(try document.encoded(), to: ourCode)
                    let arrived = try await eventually {
                        try await client.send(.get, "/api/v1/incoming?box=pending", token: office.clerk).decoded(IncomingEndToEndTests.Items.self).items.first
                    }
                    let item = try #require(arrived)
                    let url = "/api/v1/incoming/\(item.id)"
                    let stored = try await client.send(.get, url, token: office.clerk).decoded(Detail.self).attachments
                    for file in files {
                        let id = try #require(stored.first { $0.name == file.name }?.id)
                        let response = try await client.send(.get, "\(url)/attachments/\(id)", token: office.clerk)
                        #expect(response.status == .ok)
                        let disposition = response.headers[.contentDisposition] ?? ""
                        #expect(disposition.hasPrefix(file.inline ? "inline" : "attachment"), "\(file.name): \(disposition)")
                        #expect(response.headers[.contentType] == (file.inline ? "application/pdf" : "application/octet-stream"), "\(file.name)")
                        #expect(response.headers[HTTPField.Name("Content-Security-Policy")!] == "sandbox; default-src 'none'")
                        #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                        #expect(Array(response.body.readableBytesView) == file.bytes, "the bytes are kept as sent")
                    }
                }
            }
        }
    }
}

@Suite("Which files are shown in place", .timeLimit(.minutes(1)))
struct InlineFilePolicyTests {
    @Test func onlyAllowListedTypesWhoseBytesMatchAreInline() {
        let pdf = Array("%PDF-1.7\n".utf8), png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]
        #expect(InlineFilePolicy.decide(declaredType: "application/pdf", head: pdf) == .init(contentType: "application/pdf", inline: true))
        #expect(InlineFilePolicy.decide(declaredType: "Application/PDF; name=x", head: pdf).inline)
        #expect(InlineFilePolicy.decide(declaredType: "image/png", head: png) == .init(contentType: "image/png", inline: true))
        for (type, head) in [
            ("text/html", pdf), ("image/svg+xml", Array("<svg".utf8)), ("application/pdf", Array("<html>".utf8)),
            ("image/png", pdf), ("application/xhtml+xml", pdf), ("", pdf), ("text/plain", Array("hello".utf8)),
        ] {
            #expect(InlineFilePolicy.decide(declaredType: type, head: head) == .init(contentType: "application/octet-stream", inline: false), "\(type)")
        }
        #expect(InlineFilePolicy.decide(declaredType: "application/pdf", head: pdf, wantInline: false).inline == false)
    }
}
