/// `source:/target[:ro|:rw]`, where source is a named volume or an absolute host path.
enum VolumeSyntax {
    static let form = "source:/target[:ro|:rw], like \"blog-data:/data\" or \"/srv/blog:/data:ro\""

    /// Parses one `volumes:` entry.
    static func parse(_ text: String) -> Result<VolumeMount, ValueProblem> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            return .failure(ValueProblem("volume '\(text)' is not of the form \(form)"))
        }
        let source = parts[0]
        let target = parts[1]
        var readOnly = false
        if parts.count == 3 {
            switch parts[2] {
            case "ro": readOnly = true
            case "rw": readOnly = false
            default:
                return .failure(ValueProblem("unknown volume option '\(parts[2])' in '\(text)'; expected ro or rw"))
            }
        }
        if source.hasPrefix("/") {
            if let problem = absolutePathProblem(source) {
                return .failure(ValueProblem("volume source '\(source)' \(problem)"))
            }
        } else if !isVolumeName(source) {
            return .failure(
                ValueProblem(
                    "volume source '\(source)' is neither an absolute host path nor a volume name"
                        + " ([a-zA-Z0-9][a-zA-Z0-9_.-]*)"))
        }
        guard target.hasPrefix("/") else {
            return .failure(ValueProblem("volume target '\(target)' must be an absolute path inside the container"))
        }
        if let problem = absolutePathProblem(target) {
            return .failure(ValueProblem("volume target '\(target)' \(problem)"))
        }
        return .success(VolumeMount(source: source, target: target, readOnly: readOnly))
    }

    /// Named volumes as podman and docker accept them: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
    static func isVolumeName(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first.isNumber else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
    }

    /// Why an absolute path is unusable: `..` components would leave the intended directory.
    private static func absolutePathProblem(_ path: String) -> String? {
        path.split(separator: "/").contains("..") ? "must not contain '..' components" : nil
    }
}
