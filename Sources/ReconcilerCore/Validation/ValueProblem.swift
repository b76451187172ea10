/// Why a value written in a document is not acceptable, as one sentence for a person.
struct ValueProblem: Error, Equatable, CustomStringConvertible {
    var message: String

    init(_ message: String) {
        self.message = message
    }

    var description: String { message }
}
