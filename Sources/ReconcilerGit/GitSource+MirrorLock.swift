import Foundation
import Logging
import ReconcilerPOSIX

/// The mirror's lock (`<mirror>.lock`, the flock the network helper takes to fetch) is held
/// while this process reads, verifies or repairs the mirror, so `reconciler diff` never
/// discards or repairs a mirror the agent is reading, nor the agent one diff is reading. It
/// is let go while the helper runs: the helper takes it itself, in its own process.
extension GitSource {
    /// Runs `body` holding the mirror lock; a nested call runs under the lock already held.
    func withMirrorLock<T>(_ body: () throws -> T) throws -> T {
        if heldMirrorLock != nil { return try body() }
        heldMirrorLock = try takeMirrorLock()
        defer { heldMirrorLock = nil }
        return try body()
    }

    /// Runs `body` (the helper) with the mirror lock let go, and takes it again afterwards.
    func withoutMirrorLock<T>(_ body: () throws(SourceError) -> T) throws(SourceError) -> T {
        guard heldMirrorLock != nil else { return try body() }
        heldMirrorLock = nil
        let result: Result<T, SourceError>
        do throws(SourceError) {
            result = .success(try body())
        } catch {
            result = .failure(error)
        }
        heldMirrorLock = try takeMirrorLock()
        return try result.get()
    }

    private func takeMirrorLock() throws(SourceError) -> FileLock {
        let path = configuration.mirrorPath + ".lock"
        let timeout = configuration.mirrorLockTimeout
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.gitDirectory, withIntermediateDirectories: true)
        } catch {
            throw SourceError(.mirrorDamaged, "cannot create \(configuration.gitDirectory): \(error)")
        }
        do {
            return try FileLock(path: path, wait: false, recordPID: false)
        } catch .held {
            logger.info(
                "waiting for the mirror, in use by another reconciler process",
                metadata: ["lock": "\(path)", "seconds": "\(timeout)"])
        } catch {
            throw SourceError(.mirrorDamaged, "cannot lock the mirror: \(error)")
        }
        do {
            return try FileLock(path: path, wait: true, timeout: timeout, recordPID: false)
        } catch .timedOut, .held {
            throw SourceError(
                .timedOut,
                "the mirror \(configuration.mirrorPath) is in use by another reconciler process (the agent's sync or a diff; \(path) is locked) and was not free within \(Int(timeout)) s; the mirror was left as it is; try again when that run has finished"
            )
        } catch {
            throw SourceError(.mirrorDamaged, "cannot lock the mirror: \(error)")
        }
    }
}
