import Foundation

/// Constant HTTPS load through the proxy, inside the host, while a deploy runs: two loops of
/// curl, one request after another each, a new TLS connection per request with the chain
/// verified against pebble's root, as a browser arriving during the deploy would.
extension ProductionEndToEndTests {
    struct Load: CustomStringConvertible {
        var requests: Int
        /// No HTTP answer at all (connection refused or reset, TLS failure, 10 s timeout).
        var failed: Int
        /// An HTTP answer that is not 2xx (e.g. Caddy's 502 when no upstream answered).
        var non2xx: Int
        var seconds: Double
        /// Refused by the old server's HTTP/2 GOAWAY (curl exit 16) and answered on a retry.
        var retried: Int
        var description: String {
            "\(requests) requests, \(failed) failed, \(non2xx) non-2xx, "
                + String(format: "%.1f s", seconds) + ", \(retried) retried after an HTTP/2 GOAWAY"
        }
    }

    static let loadDirectory = "/root/load"

    /// The script a transient unit runs: it writes one status code a line, and a summary when
    /// it sees the stop file. A script file, because systemd-run would expand `$…` in a command line.
    static func loadScript(path: String) -> String {
        let directory = loadDirectory
        let request =
            "curl -sS -o /dev/null -w '%{http_code}' --max-time 10 --cacert \(TestHost.pebbleRoot) https://\(site)\(path)"
        return """
            #!/bin/sh
            cd \(directory)
            start=$(date +%s%N)
            loop() {
              while [ ! -e stop ]; do
                code=$(\(request) 2>> errors); status=$?
                # 16: an HTTP/2 error. During `caddy reload` the old server's GOAWAY can refuse
                # a stream it never processed; RFC 9113 §6.8 lets a client retry that, browsers
                # do, curl 7.88 does not. Retried once here, and counted apart.
                if [ "$status" = 16 ]; then
                  echo retried >> retried
                  code=$(\(request) 2>> errors || true)
                fi
                echo "${code:-000}" >> codes
              done
            }
            loop & loop & wait
            end=$(date +%s%N)
            total=$(wc -l < codes)
            failed=$(grep -c '^000$' codes || true)
            non2xx=$(grep -v '^000$' codes | grep -vc '^2' || true)
            retried=$(cat retried 2>/dev/null | wc -l)
            echo "$total $failed $non2xx $(( (end - start) / 1000000 )) $retried" > summary.new
            mv summary.new summary

            """
    }

    /// Starts the load and returns once it has had a few answers.
    static func startLoad(_ host: TestHost, path: String = "/") throws {
        try host.mustExec("rm", "-rf", loadDirectory)
        try host.mustExec("mkdir", "-p", loadDirectory)
        try host.writeFile("\(loadDirectory)/load.sh", loadScript(path: path))
        try host.mustExec("systemd-run", "--collect", "--unit=prod-load", "sh", "\(loadDirectory)/load.sh")
        try host.mustExec(
            "sh", "-c",
            "for i in $(seq 60); do [ \"$(wc -l < \(loadDirectory)/codes 2>/dev/null || echo 0)\" -ge 5 ] && exit 0; sleep 0.5; done; exit 1"
        )
    }

    /// Stops the load, waits for its summary, and returns the counts.
    static func stopLoad(_ host: TestHost) throws -> Load {
        try host.mustExec("touch", "\(loadDirectory)/stop")
        let summary = try host.mustExec(
            "sh", "-c",
            "for i in $(seq 60); do [ -e \(loadDirectory)/summary ] && exec cat \(loadDirectory)/summary; sleep 1; done; exit 1"
        )
        let numbers = summary.split(separator: " ").map { Int(String($0).trimmed) ?? -1 }
        guard numbers.count == 5 else { throw TestbedError(message: "unreadable load summary: \(summary)") }
        return Load(
            requests: numbers[0], failed: numbers[1], non2xx: numbers[2], seconds: Double(numbers[3]) / 1000,
            retried: numbers[4])
    }

    /// The status codes other than 200 the load saw, with their counts, and curl's errors.
    static func unusualCodes(_ host: TestHost) throws -> String {
        try host.mustExec(
            "sh", "-c",
            "cd \(loadDirectory) && { grep -v '^200$' codes | sort | uniq -c; cat errors 2>/dev/null; } || true"
        ).trimmed
    }
}
