import Foundation
import Logging
import ReconcilerCore
import ReconcilerPOSIX

extension ContainerEngine {
    /// What one run of the engine's CLI left behind.
    struct CommandOutput {
        var termination: ChildProcess.Termination
        /// Everything written to stdout (empty when stdout and stderr were merged into a log).
        var standardOutput: [UInt8]
        /// The last lines of stderr, or of the merged log.
        var tail: String
        /// The command line as shown in errors and logs.
        var shownCommand: String

        var succeeded: Bool { termination == .exited(0) }

        /// The tail mentions one of `phrases`, ignoring case: how "no such image" is told apart
        /// from a real failure, as neither podman nor docker has a distinct exit status for it.
        func mentions(_ phrases: [String]) -> Bool {
            let text = tail.lowercased()
            return phrases.contains { text.contains($0) }
        }
    }

    /// Runs the engine's CLI with `arguments` and a deadline.
    ///
    /// A non-zero exit is returned, not thrown, so callers can recognise expected failures
    /// ("no such image"); a failed start or a missed deadline is thrown.
    /// - Parameters:
    ///   - hiding: arguments whose values after `=` are secrets (build arguments), hidden in errors.
    ///   - mergeOutput: send stderr to the same file as stdout, for a build log in order.
    ///   - directory: where the output files go; a fresh temporary directory when nil.
    func run(
        _ arguments: [String], operation: String, timeout: Double, hiding: Set<Int> = [], mergeOutput: Bool = false,
        in directory: TemporaryDirectory? = nil
    ) throws(ContainerError) -> CommandOutput {
        let shown = Self.shownCommand(executable, arguments, hiding: hiding)
        let scratch: TemporaryDirectory
        if let directory {
            scratch = directory
        } else {
            scratch = try TemporaryDirectory.make(prefix: "reconciler-\(runtime.rawValue)")
        }
        defer { if directory == nil { scratch.remove() } }
        let started = ContinuousClock.now
        logger.trace("running container engine", metadata: ["container.command": "\(shown)"])
        let termination: ChildProcess.Termination
        do {
            termination = try ChildProcess.run(
                executable, arguments, environment: Self.childEnvironment(),
                standardOutput: scratch.file("stdout"), standardError: mergeOutput ? nil : scratch.file("stderr"),
                timeout: timeout)
        } catch {
            throw ContainerError(
                operation: operation, command: shown, cause: .notStarted(errno: error.errno),
                hint: "is \(runtime.rawValue) installed at \(executable)? (runtime in /etc/reconciler/config.yaml)")
        }
        let output = CommandOutput(
            termination: termination,
            standardOutput: mergeOutput ? [] : scratch.contents(of: "stdout"),
            tail: scratch.tail(of: mergeOutput ? "stdout" : "stderr"),
            shownCommand: shown)
        logger.debug(
            "container engine finished",
            metadata: [
                "container.command": "\(shown)", "container.termination": "\(termination)",
                "container.duration": "\(ContinuousClock.now - started)",
            ])
        if termination == .timedOut {
            throw ContainerError(
                operation: operation, command: shown, cause: .timedOut(seconds: timeout), outputTail: output.tail,
                hint: "raise the timeout, or check what it waits for (a registry, a RUN step)")
        }
        return output
    }

    /// The error for a command that ended badly.
    func failure(_ output: CommandOutput, operation: String, hint: String?) -> ContainerError {
        let cause: ContainerError.Cause =
            switch output.termination {
            case .exited(let status): .exited(status: status)
            case .signaled(let signal): .signaled(signal)
            case .timedOut: .timedOut(seconds: 0)
            }
        return ContainerError(
            operation: operation, command: output.shownCommand, cause: cause, outputTail: output.tail, hint: hint)
    }

    /// Decodes the command's stdout as JSON, or explains what it printed instead.
    func decode<T: Decodable>(_ type: T.Type, _ output: CommandOutput, operation: String) throws(ContainerError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(output.standardOutput))
        } catch {
            let start = String(decoding: output.standardOutput.prefix(200), as: UTF8.self)
            throw ContainerError(
                operation: operation, command: output.shownCommand,
                cause: .unexpectedOutput("not the JSON expected (\(error)): \(start)"), outputTail: output.tail,
                hint: "is this \(runtime.rawValue) version supported? (\(executable) version)")
        }
    }

    /// The command line for people: build-argument values may be secrets, so only keys show.
    static func shownCommand(_ executable: String, _ arguments: [String], hiding: Set<Int>) -> String {
        let shown = arguments.indices.map { index in
            let argument = arguments[index]
            guard hiding.contains(index), let equals = argument.firstIndex(of: "=") else { return argument }
            return "\(argument[..<equals])=***"
        }
        return ([executable] + shown).joined(separator: " ")
    }

    /// The reconciler's environment without what belongs to its own unit: a child that saw
    /// NOTIFY_SOCKET or LISTEN_FDS could notify or take sockets on the reconciler's behalf.
    /// The rest (HOME, REGISTRY_AUTH_FILE, DOCKER_HOST, proxies) is what the CLI needs.
    static func childEnvironment() -> [String: String] {
        let own: Set<String> = [
            "NOTIFY_SOCKET", "WATCHDOG_PID", "WATCHDOG_USEC", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES",
        ]
        var environment = ProcessInfo.processInfo.environment.filter { !own.contains($0.key) }
        if environment["PATH"] == nil {
            environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        }
        return environment
    }
}
