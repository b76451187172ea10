import Foundation
import ReconcilerTesting
import Testing

/// A webhook receiver on this machine for the notifier's tests: python3's http.server,
/// appending each POST body as one line to a file and answering 200 (or `status`; 0: never
/// answering).
final class WebhookReceiver {
    static let script = """
        import http.server, sys, time
        port, log, status = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                if status == 0:
                    time.sleep(30)
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with open(log, "ab") as f:
                    f.write(body.replace(b"\\n", b" ") + b"\\n")
                self.send_response(status)
                self.end_headers()
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """

    let port: Int
    let directory: String
    private var pid: String?

    init(port: Int) throws {
        self.port = port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("hook-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.script.write(toFile: directory + "/receiver.py", atomically: true, encoding: .utf8)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/T0KEN-SECRET" }

    /// Starts answering with `status`; returns once the port accepts connections.
    func start(status: Int = 200) throws {
        let run = try ToolRun.run(
            "/bin/sh",
            [
                "-c",
                """
                python3 "$1/receiver.py" \(port) "$1/received" \(status) >"$1/server.log" 2>&1 &
                echo $!
                for i in $(seq 1 50); do
                  curl -s -o /dev/null http://127.0.0.1:\(port)/ && exit 0
                  sleep 0.1
                done
                exit 1
                """, "sh", directory,
            ], timeout: 30)
        pid = run.standardOutput.split(separator: "\n").first.map(String.init)
        try #require(run.status == 0, "the receiver did not start: \(run)")
    }

    func stop() {
        guard let pid else { return }
        _ = try? ToolRun.run("/bin/sh", ["-c", "kill \(pid); while kill -0 \(pid) 2>/dev/null; do sleep 0.05; done"])
        self.pid = nil
    }

    /// The JSON bodies received so far, in order.
    var received: [[String: String]] {
        let text = (try? String(contentsOfFile: directory + "/received", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?.compactMapValues {
                $0 as? String
            }
        }
    }
}
