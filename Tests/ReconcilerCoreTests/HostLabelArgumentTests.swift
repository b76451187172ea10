import ReconcilerCore
import Testing

/// `--label KEY=VALUE`: the pairs accepted, and a message naming the flag for each refusal.
struct HostLabelArgumentTests {
    @Test(
        "a well-formed KEY=VALUE gives its key and value",
        arguments: [
            ("web=blog", "web", "blog"),
            ("db=", "db", ""),
            ("example.com/role=db-primary_1", "example.com/role", "db-primary_1"),
            ("ring=0", "ring", "0"),
        ])
    func wellFormedPairsParse(text: String, key: String, value: String) throws {
        let pair = try HostLabelArgument.parse(text).get()
        #expect(pair.key == key)
        #expect(pair.value == value)
    }

    @Test(
        "a malformed --label is refused with a message saying what is wrong",
        arguments: [
            ("web", "--label takes KEY=VALUE (for example web=blog), not 'web'"),
            ("=blog", "--label '=blog' has no key before '='"),
            ("we b=blog", "--label 'we b=blog': the key contains a space"),
            ("web=bl og", "--label 'web=bl og': the value contains a space"),
            ("web=blog\n", "the value contains the control character U+A"),
            ("a=b=c", "--label 'a=b=c': the value contains '='"),
            ("-web=blog", "the key must start with a letter or digit, not '-'"),
            ("web=\"blog\"", "the value contains '\"'; use letters, digits, '.', '_', '-' and '/'"),
            ("web=\(String(repeating: "x", count: 64))", "the value is 64 characters long; at most 63 are allowed"),
        ])
    func malformedPairsAreRefused(text: String, message: String) {
        guard case .failure(let problem) = HostLabelArgument.parse(text) else {
            Issue.record("'\(text)' was accepted")
            return
        }
        #expect(problem.description.contains(message), "\(problem)")
    }

    @Test("repeated --label flags combine, and the same key with two values is refused")
    func repeatedFlags() throws {
        #expect(try HostLabelArgument.parse(["web=blog", "ring=1", "web=blog"]).get() == ["web": "blog", "ring": "1"])
        guard case .failure(let problem) = HostLabelArgument.parse(["web=blog", "web=shop"]) else {
            Issue.record("two values for web were accepted")
            return
        }
        #expect(problem.description == "--label web is given twice (web=blog and web=shop); give each key once")
    }
}
