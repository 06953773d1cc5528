// Memory planning, done once per interpreter: every activation and scratch buffer gets an
// offset in one arena. Buffers whose lifetimes (first..last operator that touches them) do not
// overlap may share bytes. Greedy by size, largest first, each at the lowest offset that does
// not collide with an already placed, lifetime-overlapping buffer (TFLite Micro's strategy).

public struct ArenaRequest {
    public var size: Int
    public var first: Int
    public var last: Int
    public init(size: Int, first: Int, last: Int) { self.size = size; self.first = first; self.last = last }
}

public struct ArenaPlan {
    public var offsets: [Int]
    /// Bytes the arena needs: the planned peak.
    public var size: Int
    /// Bytes without any reuse (the sum of all requests), for comparison.
    public var unshared: Int
}

public let arenaAlignment = 64

public func planArena(_ requests: [ArenaRequest]) -> ArenaPlan {
    var order = Array(requests.indices)
    order.sort { requests[$0].size != requests[$1].size ? requests[$0].size > requests[$1].size : $0 < $1 }
    var offsets = [Int](repeating: 0, count: requests.count)
    var placed: [Int] = []
    var peak = 0
    for r in order {
        let size = (requests[r].size + arenaAlignment - 1) / arenaAlignment * arenaAlignment
        var conflicts: [(Int, Int)] = []
        for p in placed where requests[p].first <= requests[r].last && requests[r].first <= requests[p].last {
            let ps = (requests[p].size + arenaAlignment - 1) / arenaAlignment * arenaAlignment
            conflicts.append((offsets[p], offsets[p] + ps))
        }
        conflicts.sort { $0.0 < $1.0 }
        var candidate = 0
        for (start, end) in conflicts {
            if candidate + size <= start { break }
            candidate = max(candidate, end)
        }
        offsets[r] = candidate
        peak = max(peak, candidate + size)
        placed.append(r)
    }
    let unshared = requests.reduce(0) { $0 + ($1.size + arenaAlignment - 1) / arenaAlignment * arenaAlignment }
    return ArenaPlan(offsets: offsets, size: peak, unshared: unshared)
}
