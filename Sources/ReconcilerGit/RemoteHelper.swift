import Foundation
import ReconcilerPOSIX

/// The body of the network helper process (`reconciler git-helper`): performs
/// `RemoteRequest`s in this process and answers each with a `RemoteResponse`.
///
/// It runs in a child so that the parent can kill it at a deadline: libgit2 1.5 has no
/// network timeouts and blocks forever on a silent server.
public enum RemoteHelper {
    /// Process-wide libgit2 settings for the helper. Call once, before `perform`.
    public static func configureProcess(caFile: String?) {
        // libgit2 writes to a socket the server may have closed; the error beats a SIGPIPE death.
        signal(SIGPIPE, SIG_IGN)
        GitLibrary.applyAgentSettings(caFile: caFile)
    }

    /// The same settings for in-process use (local repositories), applied once.
    static let configureProcessOnce: Void = configureProcess(caFile: nil)

    /// The long-lived helper's loop (`git-helper --serve`): one request per line on stdin, its
    /// response as one line on stdout, until stdin ends (the agent closed it or died).
    public static func serve(caFile: String?) {
        configureProcess(caFile: caFile)
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        while let line = readLine(strippingNewline: true) {
            let response: RemoteResponse
            if let envelope = try? decoder.decode(RemoteHelperProcess.Envelope.self, from: Data(line.utf8)) {
                response = perform(envelope.request, urlPassword: envelope.urlPassword)
            } else {
                response = RemoteResponse(
                    failure: RemoteFailure(kind: .configuration, message: "the helper could not read its request"))
            }
            guard var bytes = try? encoder.encode(response) else { return }
            bytes.append(10)
            // The agent went away: nobody is left to answer.
            guard (try? FileHandle.standardOutput.write(contentsOf: bytes)) != nil else { return }
        }
    }

    /// - Parameter urlPassword: the password of the request's URL, which the agent sends
    ///   beside the request rather than in it (see `RemoteHelperProcess.Envelope`).
    public static func perform(_ request: RemoteRequest, urlPassword: String? = nil) -> RemoteResponse {
        // libgit2 runs on this thread: the parent watches it for signs of life.
        HelperProgress.nameWorkerThread()
        guard var url = GitURL(request.url) else {
            return RemoteResponse(
                failure: RemoteFailure(
                    kind: .configuration, message: "'\(redactingURLPasswords(request.url))' is not a git URL or path"))
        }
        if url.password == nil, let urlPassword {
            url.password = urlPassword
        }
        if url.isLocal, case let path = url.isPath ? url.rest : url.rest, !FileManager.default.fileExists(atPath: path)
        {
            // libgit2 would say "unsupported URL protocol" for a path that does not exist.
            return RemoteResponse(
                failure: RemoteFailure(kind: .unreachable, message: "there is no repository at \(path)"))
        }
        let session: RemoteSession
        do {
            session = try RemoteSession(url: url, credentials: request.credentials)
        } catch {
            return RemoteResponse(failure: error)
        }
        switch request.operation {
        case .listReferences:
            do {
                return RemoteResponse(references: try GitRemote.listReferences(session: session))
            } catch {
                return RemoteResponse(failure: session.failure(for: error))
            }
        case .fetch:
            guard let mirrorPath = request.mirrorPath else {
                return RemoteResponse(
                    failure: RemoteFailure(kind: .configuration, message: "fetch needs a mirror path"))
            }
            return fetch(into: mirrorPath, refspecs: request.refspecs, session: session)
        case .push:
            return push(request, session: session)
        }
    }

    private static func fetch(into mirrorPath: String, refspecs: [String], session: RemoteSession) -> RemoteResponse {
        let lock: MirrorLock
        let repository: GitRepository
        do {
            lock = try MirrorLock(mirrorPath: mirrorPath)
            MirrorMaintenance.removeLeftovers(in: mirrorPath)
            repository = try MirrorMaintenance.openOrCreate(at: mirrorPath)
            try MirrorMaintenance.probe(repository)
        } catch let error as GitError {
            return RemoteResponse(
                failure: RemoteFailure(
                    kind: .mirror, message: error.description, code: error.code, errorClass: error.errorClass))
        } catch {
            return RemoteResponse(failure: RemoteFailure(kind: .mirror, message: "\(error)"))
        }
        defer { withExtendedLifetime(lock) {} }
        do {
            try GitRemote.fetch(into: repository, refspecs: refspecs, session: session)
        } catch {
            return RemoteResponse(updates: session.updates, failure: session.failure(for: error))
        }
        // Housekeeping after the fetch succeeded; its failure costs speed, not the fetch.
        var response = RemoteResponse(updates: session.updates)
        do {
            if let result = try MirrorCompaction.compactIfNeeded(repository, at: mirrorPath) {
                response.maintenance =
                    "compacted the mirror: \(result.packsBefore) packs and \(result.looseBefore) loose objects into one pack of \(result.objects) objects"
            }
        } catch {
            response.maintenance = "compacting the mirror failed, it was left as it was: \(error)"
        }
        return response
    }
}

/// An exclusive flock(2) on `<mirror>.lock`: one writer per mirror. The kernel drops it when
/// the holder dies, so a helper killed at its deadline never leaves the mirror locked.
final class MirrorLock {
    private let lock: FileLock

    init(mirrorPath: String) throws {
        let path = mirrorPath + ".lock"
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            lock = try FileLock(path: path, wait: true, recordPID: false)
        } catch {
            throw MirrorError("lock the mirror \(path): \(error)")
        }
    }
}

struct MirrorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
