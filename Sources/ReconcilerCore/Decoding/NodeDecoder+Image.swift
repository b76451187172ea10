internal import Yams

extension NodeDecoder {
    /// `image: {build: {...}}` or `image: {ref: ...}`, exactly one of them.
    mutating func imageSource(_ node: Node, at path: FieldPath) -> ImageSource? {
        guard let fields = fields(of: node, at: path, allowed: ["build", "ref"]) else { return nil }
        switch (fields["build"], fields["ref"]) {
        case (let build?, nil):
            return buildSpec(build, at: path.key("build")).map(ImageSource.build)
        case (nil, let ref?):
            guard let reference = string(ref, at: path.key("ref")) else { return nil }
            guard !reference.isEmpty, !reference.contains(" ") else {
                error(at: ref, path.key("ref"), "image reference '\(reference)' must be non-empty and without spaces")
                return nil
            }
            return .reference(reference)
        case (.some, .some):
            error(at: node, path, "set exactly one of build or ref, not both")
            return nil
        case (nil, nil):
            error(at: node, path, "set exactly one of build (to build from the repository) or ref (to pull an image)")
            return nil
        }
    }

    /// `build: {context: ., dockerfile: Dockerfile, args: {...}}`, paths relative to the repository root.
    ///
    /// The dockerfile defaults to `Dockerfile` inside the context, as `podman build` does; a
    /// dockerfile that is written out is relative to the repository root like every manifest path.
    private mutating func buildSpec(_ node: Node, at path: FieldPath) -> BuildSpec? {
        guard let fields = fields(of: node, at: path, allowed: ["context", "dockerfile", "args"]) else { return nil }
        let contextPath = path.key("context")
        let contextText = fields["context"].map { string($0, at: contextPath) } ?? "."
        let context = contextText.flatMap { text in
            repositoryPath(text, at: fields["context"] ?? node, contextPath, expecting: .directory)
        }
        let dockerfilePath = path.key("dockerfile")
        var dockerfile: String?
        if let dockerfileNode = fields["dockerfile"] {
            dockerfile = string(dockerfileNode, at: dockerfilePath).flatMap { text in
                repositoryPath(text, at: dockerfileNode, dockerfilePath, expecting: .regularFile)
            }
        } else if let context {
            let defaultPath = context == "." ? "Dockerfile" : "\(context)/Dockerfile"
            dockerfile = repositoryPath(
                defaultPath, at: node, dockerfilePath, expecting: .regularFile,
                note: " (the default Dockerfile inside the build context; add it or set dockerfile)")
        }
        var arguments: [String: String] = [:]
        if let args = fields["args"] {
            arguments = stringMap(args, at: path.key("args"), keyProblem: EnvironmentName.problem) ?? [:]
        }
        guard let context, let dockerfile else { return nil }
        return BuildSpec(context: context, dockerfile: dockerfile, arguments: arguments)
    }

    /// Resolves a manifest path inside the repository and checks it is a directory or a regular file.
    /// - Returns: The resolved, symlink-free path.
    mutating func repositoryPath(
        _ text: String, at node: Node, _ path: FieldPath, expecting expected: ExpectedEntry, note: String = ""
    ) -> String? {
        switch RepositoryPath.resolve(text, in: tree) {
        case .failure(let problem):
            error(at: node, path, problem.description + note)
            return nil
        case .success(let resolved):
            switch (expected, resolved.entry) {
            case (.directory, .directory), (.regularFile, .file):
                return resolved.path
            case (.directory, _):
                error(at: node, path, "'\(text)' is a file; expected a directory")
            default:
                error(at: node, path, "'\(text)' is a directory; expected a regular file")
            }
            return nil
        }
    }
}

/// What a manifest path must name.
enum ExpectedEntry {
    case directory
    case regularFile
}
