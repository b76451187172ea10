import Foundation
import Logging
import ReconcilerCore
import ReconcilerPOSIX

extension GitSource {
    /// Fetches the tracked reference into the mirror, cloning it when missing. A mirror the
    /// helper cannot open is moved away and cloned again, once.
    func fetch(expecting head: String? = nil) throws(SourceError) {
        let request = RemoteRequest(
            operation: .fetch, url: configuration.url, refspecs: configuration.reference.refspecs,
            mirrorPath: configuration.mirrorPath, credentials: configuration.credentials)
        let what = "fetch \(configuration.reference) from \(shownURLForMessages)"
        do {
            let response = try perform(request, doing: what)
            if let maintenance = response.maintenance { logger.info("\(maintenance)") }
            for update in response.updates {
                // The refs and ids in the text too: `journalctl -o cat` shows only the message.
                logger.info(
                    "fetched \(update.name): \(update.old.map { String($0.prefix(12)) } ?? "none") -> \(update.new.map { String($0.prefix(12)) } ?? "none")",
                    metadata: [
                        "ref": "\(update.name)", "old": "\(update.old ?? "none")", "new": "\(update.new ?? "none")",
                    ])
            }
        } catch let error where error.kind == .mirrorDamaged {
            logger.warning("mirror damaged, cloning again", metadata: ["error": "\(error.message)"])
            discardMirror()
            _ = try perform(request, doing: what)
        } catch let error where error.kind == .remote {
            guard let head else { throw error }
            throw SourceError(
                .remote,
                "\(error.message) (the remote's \(configuration.reference) points at \(head); is that object missing on the server?)"
            )
        }
    }

    /// Resolves `target` in the mirror and reads every object of its tree once per commit.
    /// A damaged mirror is discarded and cloned again; if that does not help, the error stands.
    /// A tree over the `TreeLimits` is refused at once: cloning again would not shrink it.
    func verifiedRevision(_ target: String) throws(SourceError) -> (revision: Revision, cloned: Bool) {
        do {
            return (try readVerified(target), false)
        } catch let error as TreeLimitExceeded {
            throw SourceError(.commitTooLarge, "\(error); the host stays on its last good commit")
        } catch {
            logger.warning(
                "mirror failed verification, cloning again", metadata: ["commit": "\(target)", "error": "\(error)"])
        }
        discardMirror()
        try fetch()
        do {
            return (try readVerified(target), true)
        } catch let error as TreeLimitExceeded {
            throw SourceError(.commitTooLarge, "\(error); the host stays on its last good commit")
        } catch {
            throw SourceError(
                .mirrorDamaged,
                "commit \(target) cannot be read even from a fresh clone of \(shownURLForMessages): \(error); the server's repository may be damaged"
            )
        }
    }

    private func readVerified(_ target: String) throws -> Revision {
        let mirror = try GitRepository.openBare(at: configuration.mirrorPath)
        let revision = try mirror.revision(at: target)
        let marker = configuration.verifiedMarkerPath
        let verified = (try? String(contentsOfFile: marker, encoding: .utf8))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
        if verified != revision.id {
            let summary = try MirrorVerification.verify(
                commit: revision.id, in: mirror, limits: configuration.treeLimits)
            logger.debug(
                "verified commit objects",
                metadata: ["commit": "\(revision.id)", "blobs": "\(summary.blobs)", "bytes": "\(summary.bytes)"])
            try? AtomicFile.write(Array((revision.id + "\n").utf8), to: marker, mode: 0o644)
        }
        return revision
    }

    /// Moves the mirror out of the way (a rename, so its name is free at once) and deletes it.
    func discardMirror() {
        let manager = FileManager.default
        let path = configuration.mirrorPath
        try? manager.removeItem(atPath: configuration.verifiedMarkerPath)
        guard manager.fileExists(atPath: path) else { return }
        let aside = path + ".damaged-\(getpid())-\(Int(Date().timeIntervalSince1970))"
        if rename(path, aside) == 0 {
            try? manager.removeItem(atPath: aside)
        } else {
            try? manager.removeItem(atPath: path)
        }
    }

    var shownURLForMessages: String {
        GitURL(configuration.url)?.redacted ?? redactingURLPasswords(configuration.url)
    }

    /// Lists the remote's references. A repository on a local path is read in this process:
    /// no network can stall it, and it spares the cost of starting the helper (about 35 ms of
    /// CPU, most of it libgit2 loading the CA bundle), which every idle poll would pay.
    func listReferences(_ request: RemoteRequest) throws(SourceError) -> [RemoteReference] {
        let what = "list the references of \(Self.shown(request.url))"
        guard GitURL(request.url)?.isLocal == true else { return try perform(request, doing: what).references }
        RemoteHelper.configureProcessOnce
        let response = RemoteHelper.perform(request)
        if let failure = response.failure { throw SourceError(Self.kind(of: failure), "\(what): \(failure.message)") }
        return response.references
    }

    /// Runs one request in the helper and turns every way it can fail into a `SourceError`.
    func perform(_ request: RemoteRequest, doing what: String) throws(SourceError) -> RemoteResponse {
        let outcome = try withoutMirrorLock { () throws(SourceError) -> RemoteHelperProcess.Outcome in
            do {
                return try helperProcess.run(request)
            } catch {
                throw SourceError(.helperFailed, "\(what): cannot start the network helper: \(error)")
            }
        }
        switch outcome {
        case .stalled(let progress):
            throw SourceError(
                .timedOut,
                "\(what): no progress for \(Self.seconds(configuration.timeout)) (repository.timeout), \(progress): nothing more arrived from the server (stalled server, proxy or firewall?); the operation was stopped and will be retried"
            )
        case .overran:
            throw SourceError(
                .timedOut,
                "\(what): still transferring after \(Self.seconds(helperProcess.overallTimeout)), the overall limit for one operation (as long as an image build may take); the server is live but too slow for this repository's size; the operation was stopped and will be retried"
            )
        case .crashed(let detail):
            throw SourceError(.helperFailed, "\(what): the network helper failed: \(redactingURLPasswords(detail))")
        case .answered(let response):
            guard let failure = response.failure else { return response }
            throw SourceError(Self.kind(of: failure), "\(what): \(failure.message)")
        }
    }

    static func kind(of failure: RemoteFailure) -> SourceError.Kind {
        switch failure.kind {
        case .unreachable: .unreachable
        case .authentication: .authentication
        case .certificate: .certificate
        case .remote: .remote
        case .mirror: .mirrorDamaged
        case .configuration: .configuration
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
