import ArgumentParser
import ReconcilerCLI

/// The executable only hands control to the command tree in ReconcilerCLI.
@main
enum EntryPoint {
    static func main() async {
        await Reconciler.main(nil)
    }
}
