import ArgumentParser
import Foundation
import ReconcilerCore
import ReconcilerGit

extension Reconciler {
    /// The network helper: libgit2's network operations in a process of their own, so the agent
    /// can kill it at a deadline. With `--serve` (as the agent runs it) it answers requests until
    /// stdin ends; without, it reads one `RemoteRequest` as JSON on stdin and writes a
    /// `RemoteResponse` as JSON on stdout. Not for people; hidden from help.
    struct GitHelper: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "git-helper",
            abstract: "Run one git network operation (internal).",
            shouldDisplay: false
        )

        @OptionGroup var global: GlobalOptions
        /// Answer requests, one JSON line each, until stdin ends: the agent keeps this helper.
        @Flag var serve = false
        /// The CA bundle to trust, for a serving helper (libgit2 loads it once per process).
        @Option var caFile: String?

        func run() throws {
            _ = global.makeLogger()
            if serve {
                RemoteHelper.serve(caFile: caFile)
                return
            }
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let request: RemoteRequest
            do {
                request = try JSONDecoder().decode(RemoteRequest.self, from: input)
            } catch {
                throw CommandFailure("git-helper: read the request on stdin", cause: error)
            }
            RemoteHelper.configureProcess(caFile: request.credentials.caFile)
            let response = RemoteHelper.perform(request)
            FileHandle.standardOutput.write(try JSONEncoder().encode(response))
        }
    }
}
