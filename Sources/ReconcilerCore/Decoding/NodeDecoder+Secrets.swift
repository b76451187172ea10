internal import Yams

extension NodeDecoder {
    /// `secrets: [{file: desired-state/secrets/blog.env.age, name: blog.env}]`.
    ///
    /// `file` is relative to the repository root like every manifest path and must be an age
    /// file (a file committed in clear is refused before anything reads it out); `name`, the
    /// file name under `/run/secrets/`, defaults to the file's name without `.age`.
    mutating func secretFiles(_ node: Node, at path: FieldPath) -> [SecretFile]? {
        guard case .sequence(let items) = node else {
            error(at: node, path, "expected a list of {file, name} mappings, found \(kind(node))")
            return nil
        }
        var result: [SecretFile] = []
        var names: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            let itemPath = path.index(index)
            guard let secret = secretFile(item, at: itemPath) else { continue }
            if let earlier = names[secret.value.name] {
                error(
                    at: item, itemPath.key("name"),
                    "secret name '\(secret.value.name)' is already used at \(earlier); each secret of a service"
                        + " needs its own name under /run/secrets")
                continue
            }
            names[secret.value.name] = secret.location
            result.append(secret.value)
        }
        return result
    }

    private mutating func secretFile(_ node: Node, at path: FieldPath) -> Located<SecretFile>? {
        guard let fields = fields(of: node, at: path, allowed: ["file", "name"]) else { return nil }
        guard let fileNode = required("file", in: fields, at: path, hint: "; the age-encrypted file in the repository"),
            let text = string(fileNode, at: path.key("file")),
            let file = repositoryPath(text, at: fileNode, path.key("file"), expecting: .regularFile)
        else { return nil }
        var name = Self.defaultSecretName(text)
        if let nameNode = fields["name"] {
            guard let given = string(nameNode, at: path.key("name")) else { return nil }
            name = given
        }
        if let problem = Self.secretNameProblem(name) {
            error(at: fields["name"] ?? fileNode, path.key("name"), problem)
            return nil
        }
        if case .file(let size)? = tree.entry(at: file), size > SecretFile.maximumSize {
            error(at: fileNode, path.key("file"), secretTooLarge(text, size: size))
            return nil
        }
        let bytes: [UInt8]
        do {
            bytes = try tree.contents(of: file)
        } catch {
            self.error(at: fileNode, path.key("file"), "cannot read '\(text)': \(error)")
            return nil
        }
        guard bytes.count <= SecretFile.maximumSize else {
            error(at: fileNode, path.key("file"), secretTooLarge(text, size: bytes.count))
            return nil
        }
        // Never quote the contents: a file committed in clear is exactly what must not be logged.
        guard SecretFile.looksEncrypted(bytes) else {
            error(
                at: fileNode, path.key("file"),
                "'\(text)' is not an age-encrypted file (it does not start with 'age-encryption.org/v1' or an"
                    + " armored age header); encrypt it with `age -R RECIPIENTS -o \(text) PLAINTEXT`, and if the"
                    + " clear text was committed, rotate the secret: it is in the git history")
            return nil
        }
        return Located(
            value: SecretFile(name: name, path: file, ciphertext: bytes), location: location(of: node),
            path: path.text)
    }

    private func secretTooLarge(_ text: String, size: Int) -> String {
        "'\(text)' is \(size) bytes; secrets may be at most \(SecretFile.maximumSize) bytes (64 KiB), they travel"
            + " in the unit file"
    }

    /// `secrets/blog.env.age` is `blog.env` in the container.
    static func defaultSecretName(_ file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        return base.hasSuffix(".age") && base.count > 4 ? String(base.dropLast(4)) : base
    }

    /// A plain file name: it becomes a path on the host and in the container, and a shell word.
    static func secretNameProblem(_ name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 128 else {
            return "secret name '\(name)' must have 1 to 128 characters"
        }
        guard name.allSatisfy(allowed.contains), !name.hasPrefix("."), !name.hasPrefix("-") else {
            return "secret name '\(name)' must be a plain file name: letters, digits, '.', '_' and '-', not"
                + " starting with '.' or '-'"
        }
        return nil
    }
}
