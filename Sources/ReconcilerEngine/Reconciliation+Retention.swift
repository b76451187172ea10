import Logging
import ReconcilerCore

extension Reconciliation {
    /// After a release settles: delete the images no release to go back to needs, and the
    /// runs beyond the history limit. Failures are logged, never fail the run: this is disk
    /// space, not the host's state.
    func cleanUp(store: any RunStore, assessment: Assessment) {
        pruneImages(store: store, current: assessment)
        pruneHistory(store)
    }

    /// Deletes the runs beyond `historyLimit`.
    func pruneHistory(_ store: any RunStore) {
        do {
            let deleted = try store.pruneHistory(keeping: configuration.historyLimit)
            if deleted > 0 { logger.debug("deleted \(deleted) old runs from the history") }
        } catch {
            logger.warning("cannot prune the run history: \(error)")
        }
    }

    /// Keeps the images of the current release, of the last healthy one (the rollback
    /// target) and of `retainReleases` healthy releases before it; removes other images the
    /// reconciler built. Pulled images are left alone: other containers may use them.
    private func pruneImages(store: any RunStore, current: Assessment) {
        let images: [ImageRecord]
        let releases: [ReleaseRecord]
        let summary: StoreSummary
        do {
            images = try store.allImages()
            releases = try store.releases(limit: 1000)
            summary = try store.summary()
        } catch {
            logger.warning("cannot read the images to prune: \(error)")
            return
        }
        var keep = Set(current.desired.images.map(\.reference))
        var kept = Set([current.commit.id])
        for release in releases where release.state == .healthy && !kept.contains(release.commit) {
            guard kept.count <= configuration.retainReleases else { break }
            kept.insert(release.commit)
            keep.formUnion(release.images)
        }
        let rollbackTarget = summary.lastHealthy?.commit
        for release in releases where release.commit == rollbackTarget { keep.formUnion(release.images) }
        for image in images where !keep.contains(image.reference) && image.commit != rollbackTarget {
            guard image.reference.hasPrefix(ImageNaming.repository(service: image.service) + ":") else { continue }
            do {
                try ports.containers.removeImage(image.reference)
                try store.forgetImage(image.reference)
                logger.info(
                    "removed image \(image.reference)",
                    metadata: ["service": "\(image.service)", "action": "remove-image"])
            } catch {
                logger.warning(
                    "cannot remove image \(image.reference): \(error)", metadata: ["service": "\(image.service)"])
            }
        }
    }
}
