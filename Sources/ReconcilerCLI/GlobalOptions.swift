import ArgumentParser
import Logging

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Minimum level of log messages: \(LogLevel.allCases.map(\.rawValue).joined(separator: ", ")).")
    var logLevel: LogLevel = .info

    @Option(
        name: .long,
        help: "Where logs go: auto (the journal when stderr is connected to it, else stderr), journal or stderr.")
    var logTarget: LogTarget = .auto

    /// Installs the process-wide log handler and returns the root logger.
    func makeLogger() -> Logger {
        LogBootstrap.bootstrap(target: logTarget, level: logLevel.loggerLevel)
        return Logger(label: "reconciler")
    }
}

/// Output formats of commands that report something.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Our own level names, so we do not conform `Logger.Level` to `ExpressibleByArgument` retroactively.
enum LogLevel: String, ExpressibleByArgument, CaseIterable {
    case trace, debug, info, notice, warning, error, critical

    var loggerLevel: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}

enum LogTarget: String, ExpressibleByArgument, CaseIterable {
    case auto, journal, stderr
}
