import Foundation
import Hummingbird
import Trove

/// `GET /v1/stats`: the index's counts (the shape of `trove stats --json`) and the server's state.
struct StatsResponse: Encodable {
    let index: TroveStats
    let server: ServerState

    struct ServerState: Encodable {
        let uptimeSeconds: Double
        let readOnly: Bool
        let generationsRunning: Int
        let generationsWaiting: Int
        let concurrentGenerations: Int
        let ingestsRunning: Int
        let ingestsWaiting: Int

        enum CodingKeys: String, CodingKey {
            case uptimeSeconds = "uptime_seconds"
            case readOnly = "read_only"
            case generationsRunning = "generations_running"
            case generationsWaiting = "generations_waiting"
            case concurrentGenerations = "concurrent_generations"
            case ingestsRunning = "ingests_running"
            case ingestsWaiting = "ingests_waiting"
        }
    }

    /// The index's keys at the top level (as `trove stats --json`), plus `server`.
    func encode(to encoder: Encoder) throws {
        try index.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(server, forKey: .server)
    }

    enum CodingKeys: String, CodingKey { case server }
}

extension TroveServer {
    func addStatusRoutes(to router: Router<BasicRequestContext>) {
        // Liveness for scripts and load balancers: answers without touching the index or models.
        router.get("/health") { _, _ in
            try JSONCoding.response(["status": "ok"])
        }
        router.get("/v1/stats") { _, _ in
            let trove = self.trove
            let index = try await self.engine { try trove.stats() }
            let generations = await self.generations.load, ingests = await self.ingests.load
            return try JSONCoding.response(StatsResponse(index: index, server: .init(
                uptimeSeconds: Date().timeIntervalSince(self.started), readOnly: self.configuration.readOnly,
                generationsRunning: generations.running, generationsWaiting: generations.waiting,
                concurrentGenerations: self.generations.slots,
                ingestsRunning: ingests.running, ingestsWaiting: ingests.waiting)))
        }
    }
}
