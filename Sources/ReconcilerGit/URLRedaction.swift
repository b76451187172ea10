/// Repository URLs as people may see them: what `reconciler status` prints comes from the
/// host configuration, which may embed a password (`https://user:secret@host/repo`).
public enum URLRedaction {
    /// `url` with any embedded password replaced by `***`; everything else unchanged.
    public static func shown(_ url: String) -> String {
        // GitURL understands scp-like and path forms too; the text scan covers what it does not parse.
        GitURL(url)?.redacted ?? redactingURLPasswords(url)
    }
}
