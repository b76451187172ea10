/// What a service or unit may be called, so that its name is a safe systemd unit file name.
///
/// Names become file names under /etc/systemd/system and arguments of D-Bus calls, so anything
/// that is a path, a template or systemd's own is refused here rather than at apply time.
enum UnitNameRules {
    /// Unit types a `kind: Unit` may ship (systemd.unit(5)); device, scope and swap are not files we write.
    static let unitSuffixes = [".service", ".socket", ".timer", ".path", ".mount", ".automount", ".target", ".slice"]

    /// Names the reconciler must never take over: its own unit and units systemd itself relies on
    /// (systemd.special(7)). Checked against the full unit name.
    static let reservedUnits: Set<String> = [
        "basic.target", "default.target", "emergency.target", "emergency.service", "getty.target",
        "graphical.target", "local-fs.target", "multi-user.target", "network.target", "network-online.target",
        "paths.target", "rescue.target", "rescue.service", "shutdown.target", "sockets.target", "sysinit.target",
        "timers.target", "remote-fs.target", "dbus.service", "dbus.socket", "-.slice", "system.slice",
        "user.slice", "machine.slice", "init.scope", "-.mount", "ssh.service", "sshd.service",
    ]

    /// The longest stem allowed: systemd caps unit names at 255 bytes, and suffixes must still fit.
    static let maximumStemLength = 200

    /// Why `name` cannot be a service name (the stem of `name.service`), or nil when it can.
    static func serviceNameProblem(_ name: String) -> ValueProblem? {
        if name.hasSuffix(".service") {
            return ValueProblem(
                "service name '\(name)' must be the stem only; write '\(name.dropLast(".service".count))'")
        }
        return stemProblem(name, kind: "service name") ?? reservedProblem(name, unit: "\(name).service")
    }

    /// Why `name` cannot be a unit name (stem plus a type suffix), or nil when it can.
    static func unitNameProblem(_ name: String) -> ValueProblem? {
        guard let suffix = unitSuffixes.first(where: { name.hasSuffix($0) }) else {
            return ValueProblem(
                "unit name '\(name)' needs a type suffix: one of \(unitSuffixes.joined(separator: " "))")
        }
        let stem = String(name.dropLast(suffix.count))
        return stemProblem(stem, kind: "unit name '\(name)': the part before \(suffix)")
            ?? reservedProblem(stem, unit: name)
    }

    /// Every unit type systemd has, for names a unit file refers to (`WantedBy=`, `Alias=`, ...).
    static let allUnitSuffixes = unitSuffixes + [".device", ".swap", ".scope"]

    /// Why `name` is not a unit name another unit file could refer to, or nil when it is. Only
    /// the syntax: any existing unit may be named, templates' instances and `-.slice` included.
    static func referenceProblem(_ name: String) -> ValueProblem? {
        guard let suffix = allUnitSuffixes.first(where: { name.hasSuffix($0) }), name.count > suffix.count else {
            return ValueProblem(
                "is not a unit name: it needs a name and a type suffix (\(allUnitSuffixes.joined(separator: " ")))")
        }
        let stem = name.dropLast(suffix.count)
        if stem.contains("/") || stem.contains("..") {
            return ValueProblem("is not a unit name: it looks like a path")
        }
        if let bad = stem.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || ":_.-\\@".contains($0))) }) {
            return ValueProblem(
                "is not a unit name: it contains '\(bad)' (specifiers and quotes are not supported here)")
        }
        if stem != "-", stem.hasPrefix(".") || stem.hasPrefix("-") || stem.hasPrefix("@") {
            return ValueProblem("is not a unit name: it must not start with '\(stem.prefix(1))'")
        }
        return nil
    }

    private static func stemProblem(_ stem: String, kind: String) -> ValueProblem? {
        if stem.isEmpty {
            return ValueProblem("\(kind) must not be empty")
        }
        if stem.contains("/") || stem.contains("..") {
            return ValueProblem(
                "\(kind) '\(stem)' looks like a path; names must not contain '/' or '..'"
                    + " because they become file names under /etc/systemd/system")
        }
        if stem.contains("@") {
            return ValueProblem("\(kind) '\(stem)' contains '@'; template units are not supported in schema v1")
        }
        if let bad = stem.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || ":_.-\\".contains($0))) }) {
            return ValueProblem(
                "\(kind) '\(stem)' contains '\(bad)'; allowed are ASCII letters, digits, ':', '_', '.', '-' and '\\'")
        }
        if stem.hasPrefix(".") || stem.hasPrefix("-") {
            return ValueProblem("\(kind) '\(stem)' must not start with '.' or '-'")
        }
        if stem.count > maximumStemLength {
            return ValueProblem("\(kind) is \(stem.count) characters long; at most \(maximumStemLength) are allowed")
        }
        return nil
    }

    private static func reservedProblem(_ stem: String, unit: String) -> ValueProblem? {
        if stem == "reconciler" {
            return ValueProblem("'\(unit)' is reserved: the reconciler's own unit is reconciler.service")
        }
        if stem.hasPrefix("systemd-") || reservedUnits.contains(unit) {
            return ValueProblem("'\(unit)' is reserved: systemd itself relies on this unit")
        }
        return nil
    }
}
