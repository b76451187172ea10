internal import Yams

/// The YAML documents of one desired-state file, or located reasons why they cannot be read.
///
/// Reading happens in two passes so that no YAML feature can make the parser do unbounded work.
/// Yams rejects duplicate keys by hashing every mapping key, and an alias used as a key is
/// hashed in full after expansion: nine nested aliases of nine items take minutes before we
/// could look at `Node.anchor`. So the first pass parses a *probe* copy in which every `*` is
/// replaced by a private-use character (one scalar for one, so lines and columns are kept):
/// the probe has no aliases, costs time linear in its size, and shows every anchor. Only a file
/// without anchors is parsed as written; there any alias is undefined and fails at once.
struct YAMLFile {
    /// The non-empty documents, in file order.
    var documents: [Node] = []
    /// Why the file, or part of it, could not be read.
    var diagnostics: [Diagnostic] = []

    /// Stands in for `*` in the probe.
    static let aliasStandIn: Unicode.Scalar = "\u{E001}"

    /// Decodes `bytes` (UTF-8, an optional byte order mark) and composes its documents.
    /// - Parameters:
    ///   - bytes: The file as stored.
    ///   - file: The file's path relative to the repository root, for diagnostics.
    init(bytes: [UInt8], file: String) {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = bytes.starts(with: bom) ? bytes.dropFirst(bom.count) : bytes[...]
        switch UTF8Validation.decode(body) {
        case .failure(let invalid):
            let offset = invalid.offset + (bytes.count - body.count)
            let location = Self.location(ofByte: invalid.offset, in: body, file: file)
            let byte = String(body[body.startIndex + invalid.offset], radix: 16, uppercase: true)
            let diagnostic = Diagnostic(
                at: location,
                "file is not valid UTF-8: invalid byte sequence at byte offset \(offset) (0x\(byte)); save it as UTF-8")
            self.init(documents: [], diagnostics: [diagnostic])
        case .success(let text):
            self.init(text: text, file: file)
        }
    }

    private init(documents: [Node], diagnostics: [Diagnostic]) {
        self.documents = documents
        self.diagnostics = diagnostics
    }

    /// Composes the documents of `text`, which is already decoded.
    init(text: String, file: String) {
        let probe = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "*" ? Self.aliasStandIn : $0 }))
        var anchors: [Diagnostic] = []
        var probeDocuments = 0
        let probeError = Self.compose(probe) { root in
            probeDocuments += 1
            NodeWalk.visit(root) { node, path, _ in
                guard let anchor = node.anchor, let mark = node.mark else { return }
                anchors.append(
                    Diagnostic(
                        at: mark.location(in: file), path: path.text,
                        "anchors and aliases (&\(anchor.rawValue), *\(anchor.rawValue)) are not supported;"
                            + " write the value out in full"))
            }
        }
        if !anchors.isEmpty {
            diagnostics = anchors
            return
        }
        // Without anchors the text as written is safe to compose; stop where the probe failed.
        var error: (any Error)?
        if probeDocuments > 0 || probeError == nil {
            error = Self.compose(text, documentLimit: probeDocuments) { root in
                if !Self.isEmptyDocument(root) { documents.append(root) }
            }
        }
        // The text as written can fail earlier than the probe, on an alias: report both, once each.
        for failure in [error, probeError].compactMap(\.self) {
            let diagnostic = Self.diagnostic(for: failure, file: file, probe: probe)
            if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
        }
    }

    /// Composes up to `documentLimit` documents, handing each root to `body` while the parser
    /// is alive (Yams holds anchors weakly), and returns the error that stopped it, if any.
    static func compose(
        _ text: String, documentLimit: Int = .max, _ body: (Node) -> Void
    ) -> (any Error)? {
        do {
            let parser = try Yams.Parser(yaml: text, resolver: .default, constructor: .default, encoding: .utf8)
            try withExtendedLifetime(parser) {
                var count = 0
                while count < documentLimit, let root = try parser.nextRoot() {
                    body(root)
                    count += 1
                }
            }
            return nil
        } catch {
            return error
        }
    }

    /// `---` followed by nothing (or only `~`) is a document with a null scalar: skip it.
    private static func isEmptyDocument(_ root: Node) -> Bool {
        guard case .scalar(let scalar) = root else { return false }
        return ScalarText.isNull(scalar)
    }

    /// Turns a Yams error into a diagnostic at the position Yams reports.
    private static func diagnostic(for error: any Error, file: String, probe: String) -> Diagnostic {
        guard let yamlError = error as? YamlError else {
            return Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            // libyaml's own limit, which also keeps Yams' recursive composer off the stack's end.
            if problem.hasPrefix("Maximum nesting level") {
                return Diagnostic(at: mark.location(in: file), "invalid YAML: nested deeper than 1000 levels")
            }
            return Diagnostic(at: mark.location(in: file), "invalid YAML: \(problem)\(describe(context))")
        case .composer(let context, let problem, let mark, _):
            if problem.contains("undefined alias") {
                return Diagnostic(
                    at: mark.location(in: file),
                    "aliases (*name) are not supported; write the value out in full")
            }
            return Diagnostic(at: mark.location(in: file), "invalid YAML: \(problem)\(describe(context))")
        case .reader(let problem, let offset, _, _):
            let location = offset.map { Self.location(ofCharacter: $0, in: probe, file: file) }
            return Diagnostic(
                at: location ?? SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DuplicateKey.diagnostic(
                key: duplicates.first ?? "?", first: context.mark, probe: probe, file: file)
        default:
            return Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "cannot parse YAML: \(yamlError)")
        }
    }

    private static func describe(_ context: YamlError.Context?) -> String {
        guard let context else { return "" }
        return " (\(context.text) starting at line \(context.mark.line), column \(context.mark.column))"
    }

    /// Line and column (in Unicode scalars, as libyaml counts them) of a byte offset.
    private static func location(ofByte offset: Int, in bytes: ArraySlice<UInt8>, file: String) -> SourceLocation {
        let prefix = bytes.prefix(offset)
        let lineStart = prefix.lastIndex(of: 0x0A).map { $0 + 1 } ?? prefix.startIndex
        let line = prefix.count(where: { $0 == 0x0A }) + 1
        // Continuation bytes (10xxxxxx) do not start a scalar.
        let column = prefix[lineStart...].count(where: { $0 & 0xC0 != 0x80 }) + 1
        return SourceLocation(file: file, line: line, column: column)
    }

    /// Line and column of the `offset`-th character of `text`.
    private static func location(ofCharacter offset: Int, in text: String, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}
