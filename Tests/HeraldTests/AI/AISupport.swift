// Helpers for the AI drafts tests: the stand-in's chat-completions server and test pages
// (Fixtures/standin_openai.py documents them), and a PDF small enough to write by hand.
import Foundation
import Testing

@testable import HeraldBilling
@testable import HeraldDatabase
@testable import HeraldPlatforms

enum AISupport {
    /// The stand-in's base URL (HERALD_TEST_OAUTH_URL), e.g. http://127.0.0.1:41234: the publishing
    /// tests' stand-in, which also plays the model (control calls go through AdapterSupport.post).
    static var standIn: String { AdapterSupport.standIn }
    /// Its port, for spelling its origin another way (http://localhost:PORT).
    static var standInPort: String { String(standIn.split(separator: ":").last!) }
    static var control: HTTPFetch { AdapterSupport.control }

    /// A fetcher that may reach the stand-in (its origin allowed, as HERALD_SOURCE_ALLOW_ORIGINS would).
    static func fetcher(timeout: Double = 10, maxBytes: Int = 2 << 20, origins: [String]? = nil) -> GuardedFetch {
        GuardedFetch(timeoutSeconds: timeout, maxBytes: maxBytes, allowedOrigins: origins ?? [standIn])
    }

    /// A model name no other test uses: the stand-in's queued answers and faults follow it.
    static func uniqueModel(_ tag: String) -> String { "test-\(tag)-\(UUID().uuidString.prefix(8).lowercased())" }

    static func config(model: String, key: String? = "sk-test-herald", timeout: Int = 10, maxAnswerBytes: Int = 200_000) -> AIConfig {
        AIConfig(baseURL: standIn + "/openai/v1/", apiKey: key, model: model, timeoutSeconds: timeout, maxAnswerBytes: maxAnswerBytes)
    }

    /// Whatever the plan granted, makes the workspace's balance exactly `credits` (ledger keys `key`
    /// and `key-down`).
    static func setBalance(_ admin: Connection, workspace: Int, to credits: Int, key: String) throws {
        let balance = try Credits.balance(admin, workspace: workspace)
        if credits > balance { _ = try Credits.grant(admin, workspace: workspace, amount: credits - balance, key: key) }
        if credits < balance {
            _ = try Credits.adjust(admin, workspace: workspace, amount: credits - balance, key: key + "-down", reason: "test balance")
        }
    }

    /// The chat requests the stand-in received for a model, oldest first.
    static func requests(model: String) throws -> [[String: Any]] {
        let response = try control.get(standIn + "/_control/openai/requests?model=" + HTTPFetch.formComponent(model))
        guard response.status == 200, let list = try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]] else {
            throw TestFailure("stand-in requests: \(response.status) \(response.snippet)")
        }
        return list
    }

    /// A one-page PDF with one line of Helvetica per entry, its cross-reference offsets computed; with
    /// no lines, a page that only draws a line (no text layer, like a scan).
    static func pdf(_ lines: [String]) -> [UInt8] {
        let content =
            lines.isEmpty
            ? "0 0 m 100 100 l S"
            : "BT /F1 18 Tf 72 720 Td " + lines.map { "(\($0)) Tj 0 -24 Td" }.joined(separator: " ") + " ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Array(out.utf8)
    }
}
