import Foundation
import ReconcilerPOSIX

/// The `command:` probe: a program found as a shell would find it, killed with its process
/// group when the try's time is up.
extension HealthProbe {
    func command(_ arguments: [String], seconds: Double) -> Result<Void, ProbeFailure> {
        guard let name = arguments.first else { return .failure(ProbeFailure(message: "empty command")) }
        guard let executable = Self.executable(name, searchPath: searchPath) else {
            return .failure(
                ProbeFailure(message: "\(name) was not found in PATH (\(searchPath)); install it or give its full path")
            )
        }
        let termination: ChildProcess.Termination
        do {
            termination = try ChildProcess.run(
                executable, Array(arguments.dropFirst()), environment: ["PATH": searchPath],
                standardOutput: "/dev/null", standardError: nil, timeout: seconds)
        } catch {
            return .failure(ProbeFailure(message: "cannot run \(executable): \(error)"))
        }
        let shown = arguments.joined(separator: " ")
        switch termination {
        case .exited(0):
            return .success(())
        case .timedOut:
            return .failure(
                ProbeFailure(message: "\(shown) did not end within \(ProbeSocket.shown(seconds)) s and was killed"))
        default:
            return .failure(ProbeFailure(message: "\(shown) ended with \(termination)"))
        }
    }

    /// `name` itself when it holds a `/`, else the first executable file of that name in the
    /// absolute directories of `searchPath` (relative ones would depend on the agent's cwd).
    static func executable(_ name: String, searchPath: String) -> String? {
        if name.contains("/") { return name }
        for directory in searchPath.split(separator: ":") where directory.hasPrefix("/") {
            let candidate = "\(directory)/\(name)"
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }
}
