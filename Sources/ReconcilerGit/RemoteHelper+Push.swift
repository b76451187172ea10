import Foundation
import ReconcilerCore

extension RemoteHelper {
    /// Sets or deletes `request.pushes` on the remote. libgit2 pushes local references only,
    /// so each target is first made a reference of the same name in the mirror (its commit is
    /// there: the host applied it from the mirror), and removed again afterwards.
    static func push(_ request: RemoteRequest, session: RemoteSession) -> RemoteResponse {
        guard let mirrorPath = request.mirrorPath, let pushes = request.pushes, !pushes.isEmpty else {
            return RemoteResponse(
                failure: RemoteFailure(kind: .configuration, message: "push needs a mirror path and references"))
        }
        let lock: MirrorLock
        let repository: GitRepository
        do {
            lock = try MirrorLock(mirrorPath: mirrorPath)
            repository = try GitRepository.openBare(at: mirrorPath)
        } catch {
            return RemoteResponse(failure: RemoteFailure(kind: .mirror, message: "open the mirror to push: \(error)"))
        }
        defer { withExtendedLifetime(lock) {} }
        var refspecs: [String] = []
        var created: [String] = []
        defer {
            for name in created { repository.deleteReference(name) }
        }
        for update in pushes {
            guard update.name.hasPrefix(FleetRefs.namespace) else {
                return RemoteResponse(
                    failure: RemoteFailure(
                        kind: .configuration, message: "refusing to push \(update.name): outside \(FleetRefs.namespace)"
                    ))
            }
            guard let id = update.id else {
                refspecs.append(":" + update.name)
                continue
            }
            do {
                try repository.setReference(update.name, to: id)
            } catch {
                return RemoteResponse(
                    failure: RemoteFailure(kind: .mirror, message: "\(update.name) -> \(id.prefix(12)): \(error)"))
            }
            created.append(update.name)
            refspecs.append("+" + update.name + ":" + update.name)
        }
        do {
            try GitRemote.push(from: repository, refspecs: refspecs, session: session)
        } catch {
            return RemoteResponse(failure: session.failure(for: error))
        }
        if !session.pushRejections.isEmpty {
            let text = session.pushRejections.map { "\($0.name): \($0.status)" }.joined(separator: "; ")
            return RemoteResponse(failure: RemoteFailure(kind: .remote, message: "the server refused \(text)"))
        }
        return RemoteResponse()
    }
}
