import Foundation

/// A container engine command that failed: which operation, the command line (without
/// secrets), why it failed, the end of what it printed and, when we know, what to do.
public struct ContainerError: Error, Sendable, CustomStringConvertible {
    /// Why the command failed.
    public enum Cause: Sendable, Equatable {
        /// posix_spawn could not start the executable (e.g. ENOENT: not installed).
        case notStarted(errno: Int32)
        /// The command ran and exited with a non-zero status.
        case exited(status: Int32)
        /// The command was killed by a signal it did not expect.
        case signaled(Int32)
        /// The command ran past its deadline and was killed with its process group.
        case timedOut(seconds: Double)
        /// The command succeeded but printed something we cannot read (e.g. not the JSON expected).
        case unexpectedOutput(String)
    }

    /// The operation in words, e.g. "build image localhost/reconciler/blog:1a2b".
    public var operation: String
    /// The command line as run, with the values of build arguments hidden.
    public var command: String
    public var cause: Cause
    /// The last lines the command printed (stderr, or the build log), oldest first.
    public var outputTail: String
    /// What a person can do about it.
    public var hint: String?

    public init(operation: String, command: String, cause: Cause, outputTail: String = "", hint: String? = nil) {
        self.operation = operation
        self.command = command
        self.cause = cause
        self.outputTail = outputTail
        self.hint = hint
    }

    /// One line "operation: command failed how; hint", then the output tail, indented.
    public var description: String {
        var text = "\(operation): `\(command)` \(causeText)"
        if let hint { text += "; \(hint)" }
        let tail = outputTail.split(separator: "\n", omittingEmptySubsequences: false)
        if !outputTail.isEmpty {
            text += "\n" + tail.map { "  | \($0)" }.joined(separator: "\n")
        }
        return text
    }

    private var causeText: String {
        switch cause {
        case .notStarted(let errno): "could not be started: \(String(cString: strerror(errno)))"
        case .exited(let status): "exited with status \(status)"
        case .signaled(let signal): "was killed by signal \(signal)"
        case .timedOut(let seconds): "did not finish within \(Self.seconds(seconds)) and was killed"
        case .unexpectedOutput(let what): "printed unexpected output: \(what)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
