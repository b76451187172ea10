import Foundation

/// Uses the blog over HTTP the way a person with a browser would, with curl and a cookie jar.
struct BlogClient {
    let baseURL: String
    let cookieJar = FileManager.default.temporaryDirectory.appendingPathComponent("cookies-\(UUID().uuidString)").path

    /// Sends a request and returns (HTTP status, body).
    @discardableResult
    func request(_ path: String, form: [String: String]? = nil) throws -> (status: Int, body: String) {
        var arguments = [
            "-sS", "--max-time", "10", "--noproxy", "*", "-b", cookieJar, "-c", cookieJar,
            "-o", "-", "-w", "\n%{http_code}",
        ]
        for (key, value) in (form ?? [:]).sorted(by: { $0.key < $1.key }) {
            arguments += ["--data-urlencode", "\(key)=\(value)"]
        }
        arguments.append(baseURL + path)
        var result = try Command.run("/usr/bin/curl", arguments, timeout: 20)
        // A connection refused or reset (curl 7, 52, 56) in the first seconds after a container
        // starts was seen once in many runs, before the app saw the request: try again, twice.
        for _ in 0..<2 where [7, 52, 56].contains(result.status) {
            usleep(500_000)
            result = try Command.run("/usr/bin/curl", arguments, timeout: 20)
        }
        guard result.status == 0 else { throw TestbedError(message: "curl \(path) failed: \(result)") }
        let body = result.stdout
        let split = body.lastIndex(of: "\n") ?? body.endIndex
        let status = Int(body[body.index(after: split)...].trimmingCharacters(in: .whitespaces)) ?? 0
        return (status, String(body[..<split]))
    }

    func register(_ user: String, password: String) throws -> Int {
        try request("/auth/register", form: ["username": user, "password": password]).status
    }

    func logIn(_ user: String, password: String) throws -> Int {
        try request("/auth/login", form: ["username": user, "password": password]).status
    }

    func createPost(title: String, body: String) throws -> Int {
        try request("/create", form: ["title": title, "body": body]).status
    }

    func index() throws -> String {
        try request("/").body
    }
}
