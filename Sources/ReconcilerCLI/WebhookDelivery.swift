import Foundation
import ReconcilerCore
import ReconcilerPOSIX

/// One POST of a JSON body to a webhook, through curl (https, proxies and timeouts without
/// a new dependency; Foundation's URLSession needs libcurl linked into the static binary).
/// The URL goes to curl in a private config file, never on its command line, where any
/// local user could read it in /proc; errors name the URL only redacted.
struct WebhookDelivery {
    static let curl = "/usr/bin/curl"

    enum Outcome: Equatable {
        case delivered(status: Int)
        /// Why it failed, safe to log: the URL only as scheme://host/….
        case failed(String)
    }

    static func post(_ body: [UInt8], to webhook: WebhookConfiguration) -> Outcome {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : nil
        let directory: PrivateDirectory
        do {
            directory = try PrivateDirectory.make(prefix: "reconciler-webhook", in: base)
        } catch {
            return .failed("cannot make a private directory for curl: \(error)")
        }
        defer { directory.remove() }
        let config = [
            "url = \(quoted(webhook.url))",
            "request = \"POST\"",
            "header = \"Content-Type: application/json\"",
            "header = \"User-Agent: reconciler\"",
            "data-binary = \(quoted("@" + directory.file("body.json")))",
            "max-time = \(max(1, Int(webhook.timeout.rounded(.up))))",
            "connect-timeout = \(max(1, Int(webhook.timeout.rounded(.up))))",
            "output = \(quoted(directory.file("response")))",
            "write-out = \"%{http_code}\"",
            "silent", "show-error", "proto = \"=http,https\"",
        ].joined(separator: "\n")
        do {
            try AtomicFile.write(Array(config.utf8), to: directory.file("curl.conf"), mode: 0o600)
            try AtomicFile.write(body, to: directory.file("body.json"), mode: 0o600)
        } catch {
            return .failed("cannot write the request for curl: \(error)")
        }
        let termination: ChildProcess.Termination
        do {
            termination = try ChildProcess.run(
                curl, ["--disable", "--config", directory.file("curl.conf")], environment: ["PATH": "/usr/bin:/bin"],
                standardOutput: directory.file("status"), standardError: directory.file("error"),
                timeout: webhook.timeout + 5)
        } catch {
            return .failed("cannot start \(curl): \(error); install curl")
        }
        let status = Int(read(directory.file("status")).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        switch termination {
        case .exited(0) where (200..<300).contains(status):
            return .delivered(status: status)
        case .exited(0):
            return .failed("\(webhook.redactedURL) answered HTTP \(status)")
        case .timedOut:
            return .failed("\(webhook.redactedURL) did not answer within \(webhook.timeout) s")
        default:
            let error = redact(read(directory.file("error")), url: webhook.url)
            return .failed("\(webhook.redactedURL): \(error.isEmpty ? "curl \(termination)" : error)")
        }
    }

    /// A curl config string: backslash and double quote escaped.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }

    /// curl's message with the URL, and everything after its host, taken out.
    static func redact(_ message: String, url: String) -> String {
        var text = message.trimmingCharacters(in: .whitespacesAndNewlines)
        text = text.replacing(url, with: WebhookConfiguration.redact(url))
        if let schemeEnd = url.firstRange(of: "://") {
            let rest = url[schemeEnd.upperBound...]
            if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }), rest[slash...].count > 1 {
                text = text.replacing(String(rest[slash...]), with: "/…")
            }
            if let at = rest.prefix(while: { $0 != "/" }).lastIndex(of: "@") {
                text = text.replacing(String(rest[..<at]), with: "…")
            }
        }
        return text
    }

    private static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}
