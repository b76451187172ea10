import ArgumentParser
import Glibc
import ReconcilerCLI

/// The executable only hands control to the command tree in ReconcilerCLI.
@main
enum EntryPoint {
    static func main() async {
        // On Linux the Swift runtime reads the arguments from /proc/self/cmdline and, where
        // /proc is not mounted (a chroot, an image build), gets none at all: the parser would
        // then print the help and exit 0, a silent success for a provisioning script. Even
        // argv[0] is missing then, so this cannot be a real call without arguments.
        guard CommandLine.argc > 0 else {
            let message =
                "reconciler: error: cannot read its command line: /proc/self/cmdline is not readable "
                + "(is /proc mounted?); mount /proc (mount -t proc proc /proc) and run again\n"
            _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            exit(64)
        }
        await Reconciler.main(nil)
    }
}
