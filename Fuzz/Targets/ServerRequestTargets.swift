import Foundation
import TroveServer

/// What an HTTP client sends before any engine work: each route's JSON body and the `Host`
/// header (``RequestDecoding``). Every refusal must be a 4xx: a 500 means the server failed
/// to explain what was wrong with the request.
enum ServerRequestTargets {
    static let requestBody = FuzzTarget("server-request", "bytes as a JSON body for each route, and as a Host header → RequestDecoding") { input in
        for refusal in RequestDecoding.refusals(ofBody: input) {
            guard let refusal else { continue }
            FuzzTarget.require((400 ..< 500).contains(refusal.status), "\(refusal.route) answered \(refusal.status) \(refusal.message)")
        }
        if input.count <= 300 { _ = RequestDecoding.hostName(String(decoding: input, as: UTF8.self)) }
    }
}
