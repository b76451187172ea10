/// The release of this build; `reconciler version` and `--version` print it.
enum ReconcilerVersion {
    static let current = "0.1.0"
}
