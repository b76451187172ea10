import ReconcilerTesting
import Testing

extension InvalidDocumentTests {
    static let replicas: [Case] = [
        Case(
            name: "zero replicas",
            yaml: Case.service("replicas: {count: 0, ports: []}"),
            at: "5:19", path: "replicas.count", message: "count '0' must be a whole number from 1 to 9"),
        Case(
            name: "more replicas than allowed",
            yaml: Case.service("replicas: {count: 12, ports: []}"),
            at: "5:19", path: "replicas.count", message: "count '12' must be a whole number from 1 to 9"),
        Case(
            name: "replicas without a count",
            yaml: Case.service("replicas: {ports: [\"8001:80\"]}"),
            at: "5:11", path: "replicas.count", message: "required key 'count' is missing; write count: 2"),
        Case(
            name: "fewer ports than replicas",
            yaml: Case.service("replicas: {count: 2, ports: [\"8001:80\"]}"),
            at: "5:29", path: "replicas.ports",
            message: "2 instances need 2 ports, one per instance, found 1"),
        Case(
            name: "replicas without ports",
            yaml: Case.service("replicas: {count: 2}"),
            at: "5:11", path: "replicas.ports",
            message: "required key 'ports' is missing; give one host port per instance"),
        Case(
            name: "two instances on one host port",
            yaml: Case.service("replicas: {count: 2, ports: [\"8001:80\", \"8001:80\"]}"),
            at: "5:41", path: "replicas.ports[1]",
            message: "host port 8001/tcp is already published by service 'web-1' at desired-state/app.yaml:5:30"),
        Case(
            name: "an instance port another service publishes",
            yaml: Case.service("replicas: {count: 2, ports: [\"8001:80\", \"8002:80\"]}") + "---\n"
                + named("other") + "ports: [\"8002:80\"]\n",
            at: "11:9", path: "ports[0]",
            message: "host port 8002/tcp is already published by service 'web-2' at desired-state/app.yaml:5:41"),
        Case(
            name: "an unknown update strategy",
            yaml: Case.service("replicas: {count: 2, ports: [\"8001:80\", \"8002:80\"], update: blue-green}"),
            at: "5:61", path: "replicas.update",
            message: "unknown update strategy 'blue-green'; expected rolling or recreate"),
        Case(
            name: "ports beside replicas",
            yaml: Case.service("ports: [\"8000:80\"]", "replicas: {count: 1, ports: [\"8001:80\"]}"),
            at: "5:8", path: "ports",
            message: "a service with replicas publishes each instance's port in replicas.ports; move these there"),
        Case(
            name: "a replicated health check on a fixed port",
            yaml: Case.service(
                "replicas: {count: 2, ports: [\"8001:80\", \"8002:80\"]}", "health: {http: \"http://127.0.0.1:8001/\"}"),
            at: "6:9", path: "health", message: "with replicas, write the health check's port as {port}"),
        Case(
            name: "a port placeholder without replicas",
            yaml: Case.service("ports: [\"8000:80\"]", "health: {tcp: \"{port}\"}"),
            at: "6:9", path: "health", message: "{port} stands for an instance's port and needs replicas:"),
        Case(
            name: "an instance name another service has",
            yaml: Case.service("replicas: {count: 2, ports: [\"8001:80\", \"8002:80\"]}") + "---\n" + named("web-2"),
            at: "9:7", path: "name", message: "web-2"),
    ]
}
