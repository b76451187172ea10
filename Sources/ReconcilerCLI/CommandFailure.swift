/// A failed command, printed by the argument parser as "Error: <what>: <cause>".
struct CommandFailure: Error, CustomStringConvertible {
    var what: String
    var cause: any Error

    init(_ what: String, cause: any Error) {
        self.what = what
        self.cause = cause
    }

    var description: String { "cannot \(what): \(cause)" }
}
