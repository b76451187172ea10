import Foundation
import Testing

/// The release binary never ignores its arguments: where it cannot read them (no /proc, as
/// in a chroot or an image build), it refuses with an error instead of printing the help and
/// exiting 0, which a provisioning script would take for success.
@Suite(.enabled(if: Testbed.shouldRun))
struct ArgumentsEndToEndTests {
    /// Runs the binary in a private mount namespace whose /proc is an empty tmpfs.
    static func runWithoutProc(_ arguments: [String]) throws -> CommandResult {
        try Testbed.requireAvailable()
        let script = "mount -t tmpfs none /proc && exec \"$0\" \"$@\""
        return try Command.run(
            "/usr/bin/unshare", ["--mount", "--fork", "sh", "-c", script, Testbed.reconcilerBinary] + arguments,
            timeout: 60)
    }

    @Test(
        "Without /proc the binary exits non-zero and says why, whatever it was asked",
        arguments: [["once", "--repo", "/nonexistent/repo.git"], ["status"], ["--version"]])
    func refusesWhenItCannotReadItsArguments(arguments: [String]) throws {
        let result = try Self.runWithoutProc(arguments)
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("cannot read its command line"), "\(result)")
        #expect(result.stderr.contains("/proc"), "\(result)")
        #expect(!result.stdout.contains("USAGE"), "\(result)")
    }

    @Test("With /proc the same binary reads its arguments")
    func readsItsArgumentsWithProc() throws {
        try Testbed.requireAvailable()
        let result = try Command.run(Testbed.reconcilerBinary, ["validate", "/nonexistent/checkout"], timeout: 60)
        #expect(result.status != 0, "\(result)")
        #expect(!result.stdout.contains("USAGE: reconciler <subcommand>"), "\(result)")
    }
}
