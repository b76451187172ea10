import Foundation
import ReconcilerCore

/// Verifies an OpenPGP commit signature with `gpgv`, whose keyring is the whole trust list.
///
/// gpgv rather than gpg: it needs no trust database and no agent, and accepts exactly the keys in
/// the keyring. The decision rests on its machine-readable status lines, never on its prose.
struct OpenPGPSignatureCheck {
    let signature: CommitSignature
    /// The keyring, absolute.
    let keyring: String
    let workspace: VerificationWorkspace

    func verify() throws(SignatureRefusal) -> VerifiedSignature {
        let keyring = try binaryKeyring()
        // A private GNUPGHOME: the user's own keys and configuration must not count.
        let result = try workspace.run(
            "gpgv", package: "gpgv",
            ["--keyring", keyring, "--status-fd", "1", workspace.signatureFile, workspace.signedDataFile],
            environment: ["GNUPGHOME": workspace.path])
        let status = Self.statusLines(result.standardOutput)
        let commit = signature.commit
        // Refusals first: gpgv also prints VALIDSIG for a good signature by an expired or revoked key.
        if let bad = status["BADSIG"] {
            throw .badSignature(commit: commit, signer: bad, detail: "the signature does not match the commit")
        }
        for (keyword, detail) in [
            ("EXPKEYSIG", "the key has expired"), ("REVKEYSIG", "the key has been revoked"),
            ("EXPSIG", "the signature has expired"),
        ] {
            if let signer = status[keyword] { throw .badSignature(commit: commit, signer: signer, detail: detail) }
        }
        if let missing = status["NO_PUBKEY"] {
            // ERRSIG's last field is the issuer fingerprint when the signature names it.
            let fingerprint = status["ERRSIG"]?.split(separator: " ").last.map(String.init)
            let key = fingerprint.flatMap { $0.count >= 32 ? $0 : nil } ?? missing
            throw .unknownKey(commit: commit, key: "the OpenPGP key \(key)")
        }
        if let error = status["ERRSIG"] {
            throw .badSignature(commit: commit, signer: nil, detail: "gpgv cannot check it (ERRSIG \(error))")
        }
        guard result.status == 0, status["GOODSIG"] != nil, let valid = status["VALIDSIG"] else {
            throw .toolFailed(commit: commit, tool: "gpgv", detail: "no valid signature reported: \(result.text)")
        }
        // VALIDSIG <signing key fpr> <date> <timestamp> <expiry> <version> <reserved> <algo> <hash> <class> <primary fpr>
        let fields = valid.split(separator: " ").map(String.init)
        let signingKey = fields.first ?? ""
        let primaryKey = fields.count >= 10 ? fields[fields.count - 1] : signingKey
        return VerifiedSignature(commit: commit, kind: .openpgp, signer: primaryKey, keyFingerprint: signingKey)
    }

    /// A keyring gpgv can read: gpgv ignores an ASCII-armored file (it reports NO_PUBKEY), so an
    /// armored export is converted into the workspace first. Binary keyrings are used as they are.
    private func binaryKeyring() throws(SignatureRefusal) -> String {
        guard let data = FileManager.default.contents(atPath: keyring) else {
            throw .unusablePolicy(commit: signature.commit, path: keyring, detail: "cannot be read")
        }
        let text = String(decoding: data.prefix(4096), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("-----BEGIN PGP PUBLIC KEY BLOCK-----") else { return keyring }
        guard let packets = Self.dearmor(String(decoding: data, as: UTF8.self)), !packets.isEmpty else {
            throw .unusablePolicy(
                commit: signature.commit, path: keyring,
                detail: "the ASCII-armored key block is malformed; export the keys again with gpg --export")
        }
        let converted = "\(workspace.path)/keyring.gpg"
        guard FileManager.default.createFile(atPath: converted, contents: Data(packets)) else {
            throw .toolFailed(commit: signature.commit, tool: "gpgv", detail: "cannot write \(converted)")
        }
        return converted
    }

    /// The binary packets of every `PUBLIC KEY BLOCK` in an armored text (RFC 4880, section 6.2):
    /// armor headers up to a blank line, base64 lines, an optional `=` CRC line, the END line.
    /// The CRC is not checked: gpgv checks the packets themselves.
    static func dearmor(_ text: String) -> [UInt8]? {
        var packets: [UInt8] = []
        var base64: String?
        var inHeaders = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
            if line == "-----BEGIN PGP PUBLIC KEY BLOCK-----" {
                base64 = ""
                inHeaders = true
            } else if line == "-----END PGP PUBLIC KEY BLOCK-----", let body = base64 {
                guard let decoded = Data(base64Encoded: body) else { return nil }
                packets += decoded
                base64 = nil
            } else if base64 != nil {
                // Some tools omit the blank line when there are no headers ("Key: value").
                if inHeaders && (line.isEmpty || !line.contains(": ")) { inHeaders = false }
                if inHeaders || line.isEmpty || line.hasPrefix("=") { continue }
                base64? += line
            }
        }
        return base64 == nil ? packets : nil
    }

    /// `[GNUPG:] KEYWORD rest` lines as keyword → rest (the first line of each keyword).
    private static func statusLines(_ output: String) -> [String: String] {
        var status: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("[GNUPG:] ") {
            let words = line.dropFirst("[GNUPG:] ".count)
            let keyword = String(words.prefix { $0 != " " })
            let rest = words.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces)
            if status[keyword] == nil { status[keyword] = rest }
        }
        return status
    }
}
