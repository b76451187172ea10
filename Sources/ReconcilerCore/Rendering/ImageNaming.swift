/// Names of images the reconciler builds, so they can be found, kept for rollback and pruned.
public enum ImageNaming {
    /// The repository part of a built service image: `localhost/reconciler/blog`.
    public static func repository(service: String) -> String {
        // Image names allow only lower-case letters, digits and separators; unit names allow more.
        let component = String(
            service.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "-" })
        return "localhost/reconciler/\(component)"
    }

    /// A built image tagged by what it was built from (a hash of the context's files that
    /// `.dockerignore` lets through, the Dockerfile and the build arguments: see
    /// `DesiredHostBuilder.tag`), so an unchanged context maps to the same image and is never rebuilt.
    public static func built(service: String, tag: String) -> String {
        "\(repository(service: service)):\(tag)"
    }

    /// The tag used when rendering from a working directory that has no git tree id.
    public static let workingTreeTag = "working-tree"
}
