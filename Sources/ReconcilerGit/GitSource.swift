import Foundation
public import Logging
public import ReconcilerCore
import ReconcilerPOSIX

/// The desired state's only way in: a bare mirror of the tracked branch, tag or commit,
/// kept up to date through a network helper with a deadline, checked for damage and,
/// when configured, for signatures, before any commit is handed out.
///
/// Not `Sendable`: use it from one task at a time, as the agent runs one sync at a time.
public final class GitSource {
    public let configuration: GitSourceConfiguration
    let helperProcess: RemoteHelperProcess
    let logger: Logger
    /// The mirror's lock while this process holds it (see `withMirrorLock`).
    var heldMirrorLock: FileLock?
    /// Every reference of the remote's last listing (the fleet's reports are among them).
    public internal(set) var lastListing: [RemoteReference]?

    public init(
        configuration: GitSourceConfiguration, launcher: RemoteHelperLauncher = .currentExecutable(),
        logger: Logger = Logger(label: "reconciler.git")
    ) {
        self.configuration = configuration
        self.logger = logger
        helperProcess = RemoteHelperProcess(
            launcher: launcher, homeDirectory: configuration.helperHome, timeout: configuration.timeout)
    }

    // MARK: The cheap check

    /// The id the tracked branch or tag has on the remote now, by listing the remote's
    /// references: no objects are transferred. For a pinned commit, the commit itself.
    public func remoteHead() throws(SourceError) -> String {
        guard let name = configuration.reference.remoteName else {
            if case .commit(let id) = configuration.reference { return id }
            return ""
        }
        let request = RemoteRequest(
            operation: .listReferences, url: configuration.url, credentials: configuration.credentials)
        let references = try listReferences(request)
        lastListing = references
        guard let reference = references.first(where: { $0.name == name }) else {
            throw SourceError(
                .referenceMissing,
                "\(configuration.reference) is not on \(shownURLForMessages) (deleted or renamed?); the host stays on its last good commit until it is back or the configuration names another"
            )
        }
        return reference.id
    }

    /// Whether the mirror already has what the remote's tracked reference points at,
    /// so that no fetch is needed.
    public func mirrorIsCurrent(remoteHead: String) -> Bool {
        guard let mirror = try? GitRepository.openBare(at: configuration.mirrorPath) else { return false }
        return mirror.referenceID(configuration.reference.mirrorName) == remoteHead && mirror.containsObject(remoteHead)
    }

    // MARK: Updating

    /// Brings the mirror up to date (fetching only when the remote moved) and returns the
    /// commit to apply, checked for damage and, with a signature policy, for its signature.
    ///
    /// - Parameter lastAccepted: the commit the host runs now, to tell a fast-forward from a
    ///   rewritten history, and to skip re-verifying a commit already accepted.
    public func update(lastAccepted: String?) throws -> SourceUpdate {
        try withMirrorLock { try updateHoldingLock(lastAccepted: lastAccepted) }
    }

    private func updateHoldingLock(lastAccepted: String?) throws -> SourceUpdate {
        var fetched = false
        let target: String
        switch configuration.reference {
        case .commit(let id):
            let mirrorHasCommit = {
                (try? GitRepository.openBare(at: self.configuration.mirrorPath))?.containsObject(id) == true
            }
            if !mirrorHasCommit() {
                try fetch()
                fetched = true
            }
            guard mirrorHasCommit() else {
                throw SourceError(
                    .referenceMissing,
                    "commit \(id) is not reachable from any branch or tag of \(shownURLForMessages); check the pinned id"
                )
            }
            target = id
        case .branch, .tag:
            let head = try remoteHead()
            if !mirrorIsCurrent(remoteHead: head) {
                try fetch(expecting: head)
                fetched = true
            }
            target = peeledCommit(head)
        }
        // Only the commit object and the history are read before the signature and the
        // direction are accepted: a hostile commit's tree is never walked.
        var signature: VerifiedSignature?
        if let policy = configuration.signaturePolicy, target != lastAccepted {
            signature = try verifySignature(target, policy: policy)
        }
        let change = try classify(target, lastAccepted: lastAccepted)
        if case .rewritten(let old) = change {
            if configuration.requireFastForward {
                let why =
                    configuration.repository.requireFastForward == true
                    ? "requireFastForward is set"
                    : "a signature policy is set, so an older or foreign signed commit is not replayed"
                throw SourceError(
                    .historyRewritten,
                    "the history of \(configuration.reference) was rewritten: \(target) does not descend from the applied commit \(old), and \(why); push a commit on top of \(old), apply it by hand, or set repository.requireFastForward: false to follow rewinds"
                )
            }
            logger.warning(
                "history rewritten, following the new head",
                metadata: ["commit": "\(target)", "previous": "\(old)", "reference": "\(configuration.reference)"])
        }
        let (revision, cloned) = try verifiedRevision(target)
        fetched = fetched || cloned
        return SourceUpdate(commit: revision, change: change, fetched: fetched, signature: signature)
    }

    /// The mirror, for reading trees of commits `update` returned.
    public func mirror() throws(SourceError) -> GitRepository {
        do {
            return try GitRepository.openBare(at: configuration.mirrorPath)
        } catch {
            throw SourceError(.mirrorDamaged, "cannot open the mirror: \(error)")
        }
    }

    /// The commit an annotated tag's object names, so that the direction of history and the
    /// signature are judged on commits. A mirror that cannot say is repaired later, by the
    /// verification of `target`.
    private func peeledCommit(_ id: String) -> String {
        (try? mirror().commit(at: id).id) ?? id
    }

    private func classify(_ commit: String, lastAccepted: String?) throws(SourceError) -> SourceUpdate.Change {
        guard let lastAccepted else { return .first }
        if lastAccepted == commit { return .unchanged }
        var descends = try mirror().isCommit(commit, descendantOf: lastAccepted)
        if descends == nil {
            // The history between the two commits is unreadable: repair, then judge again.
            logger.warning("mirror history unreadable, cloning again", metadata: ["commit": "\(commit)"])
            discardMirror()
            try fetch()
            descends = try mirror().isCommit(commit, descendantOf: lastAccepted)
        }
        return descends == true ? .fastForward(from: lastAccepted) : .rewritten(from: lastAccepted)
    }

    private func verifySignature(_ commit: String, policy: SignaturePolicy) throws(SourceError) -> VerifiedSignature {
        let mirror = try mirror()
        do {
            let signature = try mirror.verifySignature(ofCommit: commit, policy: policy)
            logger.info(
                "signature verified",
                metadata: ["commit": "\(commit)", "signer": "\(signature.signer)"])
            return signature
        } catch {
            throw SourceError(.signatureRefused, "\(error); the host stays on its last verified commit")
        }
    }
}
