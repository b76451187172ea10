import ArgumentParser
import Foundation
import ReconcilerCore
import ReconcilerGit

extension Reconciler {
    /// The network helper: one libgit2 network operation per process, so the agent can kill
    /// it at a deadline. Reads a `RemoteRequest` as JSON on stdin, writes a `RemoteResponse`
    /// as JSON on stdout. Not for people; hidden from help.
    struct GitHelper: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "git-helper",
            abstract: "Run one git network operation (internal).",
            shouldDisplay: false
        )

        @OptionGroup var global: GlobalOptions

        func run() throws {
            _ = global.makeLogger()
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
