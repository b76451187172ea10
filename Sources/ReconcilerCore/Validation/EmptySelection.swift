extension DesiredState {
    /// Why a host that no document selects would get nothing, naming the selectors that would
    /// select documents and where they are; nil when the host gets something or the desired
    /// state has no documents at all (an empty repository is the planner's concern).
    ///
    /// A host whose labels match nothing is almost always a typo in its config.yaml or in a
    /// `hosts:` selector, and an empty plan would look like success.
    public func emptySelectionProblem(forHost host: HostIdentity) -> String? {
        let selected = selecting(host: host)
        guard selected.services.isEmpty, selected.units.isEmpty, !(services.isEmpty && units.isEmpty) else {
            return nil
        }
        var files: [String: Set<String>] = [:]
        for (selector, file) in services.map({ ($0.hosts, $0.location.file) })
            + units.map({ ($0.hosts, $0.location.file) })
        {
            files[Self.describe(selector), default: []].insert(file)
        }
        let selectors = files.keys.sorted().map { "\($0) (\(files[$0, default: []].sorted().joined(separator: ", ")))" }
        let labels =
            host.labels.isEmpty
            ? "no labels"
            : "labels "
                + host.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: ", ")
        return "no document selects host \(host.name) (\(labels)); documents select "
            + selectors.joined(separator: "; ")
            + ". Give this host matching labels (host.labels in config.yaml, or --label KEY=VALUE)"
            + " or name it in hosts.names; set allowEmpty: true if it should run nothing"
    }
}
