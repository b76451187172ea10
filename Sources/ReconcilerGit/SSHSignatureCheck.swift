import Foundation
import Glibc
import ReconcilerCore

/// Verifies an SSH commit signature with the same `ssh-keygen -Y` calls as `git verify-commit`.
struct SSHSignatureCheck {
    let signature: CommitSignature
    /// The allowed signers file, absolute.
    let allowedSigners: String
    let workspace: VerificationWorkspace

    func verify() throws(SignatureRefusal) -> VerifiedSignature {
        let find = try sshKeygen([
            "-Y", "find-principals", "-f", allowedSigners, "-s", workspace.signatureFile, verifyTime,
        ])
        let principals = find.status == 0 ? Self.lines(find.standardOutput) : []
        guard !principals.isEmpty else { throw try refusalWithoutPrincipal(find) }
        // One key may be listed under several principals; the first that verifies is the signer.
        var failure = find
        for principal in principals {
            let check = try sshKeygen(
                [
                    "-Y", "verify", "-n", "git", "-f", allowedSigners, "-I", principal, "-s", workspace.signatureFile,
                    verifyTime,
                ], input: workspace.signedDataFile)
            if check.status == 0, let key = Self.key(in: check.text) {
                return VerifiedSignature(
                    commit: signature.commit, kind: .ssh, signer: principal,
                    keyFingerprint: String(key.split(separator: " ").last ?? ""))
            }
            failure = check
        }
        throw .badSignature(commit: signature.commit, signer: principals[0], detail: failure.text)
    }

    /// No allowed principal holds the key: find out whether the key is unknown, outside its
    /// validity window, or the signature is broken, as git does with `check-novalidate`.
    private func refusalWithoutPrincipal(_ find: ToolOutput) throws(SignatureRefusal) -> SignatureRefusal {
        let check = try sshKeygen(
            ["-Y", "check-novalidate", "-n", "git", "-s", workspace.signatureFile, verifyTime],
            input: workspace.signedDataFile)
        guard check.status == 0, let key = Self.key(in: check.text) else {
            return .badSignature(commit: signature.commit, signer: nil, detail: check.text)
        }
        // ssh-keygen explains a matching key it rejected ("key has expired", "not yet valid");
        // anything else it says is about the file itself (a malformed line).
        let reasons = Self.lines(find.standardError).filter { $0 != "No principal matched." }
        if reasons.contains(where: { $0.contains("expired") || $0.contains("not yet valid") }) {
            return .badSignature(commit: signature.commit, signer: key, detail: reasons.joined(separator: "; "))
        }
        if !reasons.isEmpty {
            return .unusablePolicy(
                commit: signature.commit, path: allowedSigners, detail: reasons.joined(separator: "; "))
        }
        return .unknownKey(commit: signature.commit, key: key)
    }

    private func sshKeygen(_ arguments: [String], input: String? = nil) throws(SignatureRefusal) -> ToolOutput {
        try workspace.run("ssh-keygen", package: "openssh-client", arguments, input: input)
    }

    /// `-Overify-time=YYYYMMDDHHMMSSZ`: the committer time in UTC, where valid-after/valid-before apply.
    private var verifyTime: String {
        var time = time_t(signature.committedAt)
        var parts = tm()
        gmtime_r(&time, &parts)
        let fields = [
            (parts.tm_year + 1900, 4), (parts.tm_mon + 1, 2), (parts.tm_mday, 2), (parts.tm_hour, 2), (parts.tm_min, 2),
            (parts.tm_sec, 2),
        ]
        let digits = fields.map { value, width in
            String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        return "-Overify-time=\(digits.joined())Z"
    }

    /// "ED25519 key SHA256:…" from `Good "git" signature [for P] with ED25519 key SHA256:…`.
    private static func key(in text: String) -> String? {
        guard let line = lines(text).first(where: { $0.hasPrefix("Good \"git\" signature") }),
            let with = line.range(of: " with ", options: .backwards)
        else { return nil }
        return String(line[with.upperBound...])
    }

    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
