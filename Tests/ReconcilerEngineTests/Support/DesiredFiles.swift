/// Repository contents for the engine's tests: the files of one commit, path to text.
enum DesiredFiles {
    /// A blog service built from `app/`, with an HTTP health check, and a timer unit.
    /// - Parameters:
    ///   - version: goes into the app's source, so a new version means a new image.
    ///   - port: the host port, so a config change without a rebuild is possible.
    static func blog(version: String = "1", port: Int = 8080, withTimer: Bool = true) -> [String: String] {
        var files = [
            "app/Dockerfile": "FROM python:3.11-slim\nCOPY app.py /app.py\nCMD [\"python3\", \"/app.py\"]\n",
            "app/app.py": "print('blog \(version)')\n",
            "desired-state/blog.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: blog
            image:
              build: {context: app, dockerfile: app/Dockerfile}
            ports: ["\(port):8080"]
            health: {http: "http://127.0.0.1:\(port)/", timeout: 30s}

            """,
        ]
        if withTimer {
            files["desired-state/cleanup.yaml"] = """
                apiVersion: reconciler/v1
                kind: Unit
                name: cleanup.timer
                contents: |
                  [Timer]
                  OnCalendar=daily
                  [Install]
                  WantedBy=timers.target

                """
        }
        return files
    }

    /// A second service on a pulled image, to add to `blog`.
    static func cache(_ reference: String = "docker.io/library/redis:7") -> [String: String] {
        [
            "desired-state/cache.yaml": """
            apiVersion: reconciler/v1
            kind: Service
            name: cache
            image: {ref: "\(reference)"}
            ports: ["6379:6379"]

            """
        ]
    }
}
