import Foundation
public import ReconcilerCore

extension GitSource {
    /// Lists every reference of the remote (the tracked one and the fleet's reports).
    public func listAllReferences() throws(SourceError) -> [RemoteReference] {
        let request = RemoteRequest(
            operation: .listReferences, url: configuration.url, credentials: configuration.credentials)
        let references = try listReferences(request)
        lastListing = references
        return references
    }

    /// The id the tracked branch or tag has in `listing`; nil for a pinned commit or when absent.
    public func trackedID(in listing: [RemoteReference]) -> String? {
        guard let name = configuration.reference.remoteName else { return nil }
        return listing.first { $0.name == name }?.id
    }

    /// Creates, moves or deletes references under `refs/reconciler/hosts/` on the remote, with
    /// the repository's credentials. The commits they name must be in the mirror.
    public func push(_ updates: [FleetRefs.Update]) throws(SourceError) {
        try push(updates, to: configuration.url, credentials: configuration.credentials)
        // The next poll lists the remote again; until then, the listing shows what was pushed.
        if let listing = lastListing { lastListing = Self.applying(updates, to: listing) }
    }

    /// Pushes `updates` from the mirror to another repository (the fleet's reports
    /// repository): its first push also sends the tracked history the refs name.
    public func push(_ updates: [FleetRefs.Update], to url: String, credentials: GitCredentials) throws(SourceError) {
        var request = RemoteRequest(
            operation: .push, url: url, mirrorPath: configuration.mirrorPath, credentials: credentials)
        request.pushes = updates
        _ = try perform(request, doing: "push this host's report to \(Self.shown(url))")
    }

    /// Every reference of another repository (the fleet's reports repository); the engine's
    /// listing of the tracked repository is left as it is.
    public func listReferences(of url: String, credentials: GitCredentials) throws(SourceError) -> [RemoteReference] {
        try listReferences(RemoteRequest(operation: .listReferences, url: url, credentials: credentials))
    }

    /// `listing` as it is once `updates` are pushed.
    public static func applying(_ updates: [FleetRefs.Update], to listing: [RemoteReference]) -> [RemoteReference] {
        var listing = listing
        for update in updates {
            listing.removeAll { $0.name == update.name }
            if let id = update.id { listing.append(RemoteReference(name: update.name, id: id)) }
        }
        return listing
    }

    static func shown(_ url: String) -> String { GitURL(url)?.redacted ?? redactingURLPasswords(url) }

    /// Whether `descendant` is `ancestor` or descends from it, by the mirror; nil when the
    /// mirror cannot tell (a commit it does not have).
    public func contains(_ descendant: String, ancestor: String) -> Bool? {
        if descendant == ancestor { return true }
        guard let mirror = try? mirror(), mirror.containsObject(descendant) else { return nil }
        return mirror.isCommit(descendant, descendantOf: ancestor)
    }

    /// How many commits of `head` `commit` lacks, by the mirror; nil when it does not have both.
    public func commitsBehind(_ commit: String, head: String) -> Int? {
        (try? mirror())?.commitsBehind(commit, head: head)
    }
}

extension RemoteReference {
    public init(name: String, id: String) {
        self.init(name: name, id: id, symbolicTarget: nil)
    }
}
