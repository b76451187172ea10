/// Start order from `after:`, stop order from the leaving files' `After=`: both topological,
/// ties by name, so the plan is the same whatever order the inputs came in.
extension Planner {
    /// Indices of `units` (sorted by name) in the order they start: each after the units its
    /// `after:` names.
    static func startOrder(_ units: [DesiredUnit]) -> [Int] {
        let triggers = units.map { isTrigger($0.name) }
        // Positions in tie order: the heap below takes the smallest ready one.
        let byTie = units.indices.sorted { triggers[$0] == triggers[$1] ? $0 < $1 : triggers[$1] }
        var rank = [Int](repeating: 0, count: units.count)
        for (position, index) in byTie.enumerated() { rank[index] = position }
        let named = Dictionary(units.indices.map { (units[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        let predecessors = byTie.map { unit in
            // `after:` names units; a bare service name is accepted too. Names outside the plan
            // are ignored: what is already running needs no ordering.
            units[unit].after.compactMap { named[$0] ?? named[$0 + ".service"] }.map { rank[$0] }
        }
        return topologicalOrder(predecessors).map { byTie[$0] }
    }

    /// Leaving units in the order they stop: the reverse of the order their files start them in.
    static func stopOrder(_ units: [LeavingUnit]) -> [LeavingUnit] {
        let sorted = units.sorted { tieOrder($0.name, $1.name) }
        let index = Dictionary(sorted.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let predecessors = sorted.map { unit in
            UnitFileText.orderingDependencies(unit.observed.fileContents ?? "").compactMap { index[$0] }
        }
        return topologicalOrder(predecessors).reversed().map { sorted[$0] }
    }

    /// Between units `after:` does not order: timers and path units after the rest, so one does
    /// not fire a job before the services it needs run, nor during their removal; then by name.
    static func tieOrder(_ left: String, _ right: String) -> Bool {
        let leftTriggers = isTrigger(left)
        let rightTriggers = isTrigger(right)
        return leftTriggers == rightTriggers ? left < right : rightTriggers
    }

    static func isTrigger(_ name: String) -> Bool { name.hasSuffix(".timer") || name.hasSuffix(".path") }

    /// Kahn's algorithm over indices in tie order, always taking the smallest ready index.
    /// Members of a cycle (validation rejects them) follow in tie order.
    static func topologicalOrder(_ predecessors: [[Int]]) -> [Int] {
        var waiting = [Int](repeating: 0, count: predecessors.count)
        var successors = [[Int]](repeating: [], count: predecessors.count)
        for (node, before) in predecessors.enumerated() {
            for predecessor in Set(before) where predecessor != node {
                waiting[node] += 1
                successors[predecessor].append(node)
            }
        }
        var ready = MinHeap()
        for node in waiting.indices where waiting[node] == 0 { ready.insert(node) }
        var order: [Int] = []
        order.reserveCapacity(predecessors.count)
        var placed = [Bool](repeating: false, count: predecessors.count)
        while let node = ready.popMin() {
            order.append(node)
            placed[node] = true
            for successor in successors[node] {
                waiting[successor] -= 1
                if waiting[successor] == 0 { ready.insert(successor) }
            }
        }
        if order.count < predecessors.count {
            order += placed.indices.filter { !placed[$0] }
        }
        return order
    }
}

/// A binary min-heap of indices: the ready set of the topological sort.
struct MinHeap {
    private var items: [Int] = []

    mutating func insert(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Int? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let minimum = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            guard smallest != parent else { return minimum }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
