/// The message of a failed plan step.
enum ActionFailure {
    /// `"start web.service: <error>"`, without naming the step twice: adapters' errors often
    /// begin with the operation they tried, which is the step itself ("start web.service: the
    /// unit did not start"), and the reader should see it once.
    /// - Parameters:
    ///   - title: the step, e.g. `start web.service`.
    ///   - error: the error's description.
    static func message(_ title: String, _ error: String) -> String {
        error.hasPrefix(title + ": ") ? error : "\(title): \(error)"
    }
}
