import Foundation
import ReconcilerCore
import Testing

/// The plan names each step of a rolling update, as the engine gates it: every start, restart
/// or reload of an instance with `update: rolling`, numbered within its group.
struct RollingStepTests {
    typealias Host = PlanCase

    /// blog's 2 instances, with instance 2's container gone.
    static let instanceTwoMissing: PlanCase = {
        let host = Host.replicatedHost(count: 2)
        var observed = PlanningFixtures.converged(host)
        observed.containers["blog-2"] = nil
        return PlanCase(
            name: "instance-2-missing", desired: host, observed: observed, inventory: PlanningFixtures.inventory(host))
    }()

    @Test(
        "rolling steps are numbered within their group; other actions are not named rolling",
        arguments: [
            (
                Host.replicas(
                    "image-changed", from: Host.replicatedHost(count: 2),
                    to: Host.replicatedHost(count: 2, image: "registry.example/blog:1.5")),
                ["restart blog-1.service: blog 1 of 2", "restart blog-2.service: blog 2 of 2"]
            ),
            (
                Host.replicas(
                    "recreate", from: Host.replicatedHost(count: 2, update: .recreate),
                    to: Host.replicatedHost(count: 2, image: "registry.example/blog:1.5", update: .recreate)),
                []
            ),
            (
                Host.replicas("scaled-up", from: Host.replicatedHost(count: 2), to: Host.replicatedHost(count: 3)),
                ["start blog-3.service: blog 1 of 1"]
            ),
            (instanceTwoMissing, ["restart blog-2.service: blog 1 of 1"]),
            (
                // One instance is a single service: `update` defaults to recreate.
                Host.replicas(
                    "one-instance", from: Host.replicatedHost(count: 1),
                    to: Host.replicatedHost(count: 1, image: "registry.example/blog:1.5")),
                []
            ),
            (PlanCase.appChanged, []),
        ])
    func rollingStepsAreNumbered(planCase: PlanCase, expected: [String]) {
        let actions = planCase.plan.actions
        #expect(
            actions.compactMap { action in
                action.rolling.map { "\(action.kind.rawValue) \(action.target): \($0.group) \($0.step) of \($0.steps)" }
            } == expected)
        for action in actions {
            // The reason says it too: the journal and `history` show the reason.
            #expect(action.reason.hasPrefix("rolling update of") == (action.rolling != nil), "\(action)")
            if let rolling = action.rolling {
                #expect(action.reason.hasPrefix("\(rolling): "))
            }
        }
    }

    @Test("diff --output json carries the step as a field, and leaves it out of other actions")
    func jsonCarriesTheStep() throws {
        let plan = Host.replicas(
            "image-changed", from: Host.replicatedHost(count: 2),
            to: Host.replicatedHost(count: 2, image: "registry.example/blog:1.5")
        ).plan
        let data = try JSONEncoder().encode(plan)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let actions = try #require(object["actions"] as? [[String: Any]])
        let restart = try #require(
            actions.first { $0["target"] as? String == "blog-1.service" && $0["kind"] as? String == "restart" })
        let rolling = try #require(restart["rolling"] as? [String: Any])
        #expect(rolling["group"] as? String == "blog")
        #expect(rolling["step"] as? Int == 1)
        #expect(rolling["steps"] as? Int == 2)
        let pull = try #require(actions.first { $0["kind"] as? String == "pull-image" })
        #expect(pull["rolling"] == nil)
        #expect(try JSONDecoder().decode(Plan.self, from: data) == plan)
    }
}
