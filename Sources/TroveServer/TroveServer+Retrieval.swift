import Foundation
import Hummingbird
import Trove

/// `POST /v1/search` and `POST /v1/ask`: the JSON of `trove search --json` and `trove ask --json`.
extension TroveServer {
    func addRetrievalRoutes(to router: Router<BasicRequestContext>) {
        router.post("/v1/search") { request, _ in
            let body = try await self.decodeBody(SearchRequest.self, from: request.body)
            let (query, k, mode) = try body.validated()
            let trove = self.trove, explain = body.explain ?? false, filter = body.filter ?? SearchFilter()
            // Keyword search needs no embedding (nor the encoder).
            let vector: [Float]?
            do {
                vector = mode == .keyword ? nil : try await self.queries.vector(for: query)
            } catch {
                throw self.apiError(error)
            }
            let results = try await self.engine {
                try trove.search(query, k: k, mode: mode, filter: filter, explain: explain, queryVector: vector)
            }
            return try JSONCoding.response(SearchOutput(query: query, mode: mode, filter: filter.isEmpty ? nil : filter,
                                                        results: results))
        }
        router.post("/v1/ask") { request, _ in
            try await self.watchingClient(request) { body, clientLeft in
                let ask = try await self.decodeBody(AskRequest.self, from: body)
                let options = try ask.validated()
                let question = ask.question, trove = self.trove
                guard ask.stream == true else {
                    let answer = try await self.generation(flag: clientLeft) {
                        try trove.ask(question, options: options.cancelled(by: clientLeft))
                    }
                    return try JSONCoding.response(answer)
                }
                // Events: `token` {"text"} as the model writes, then `answer` (the whole JSON of a
                // non-streamed reply, with the checked citations), or `error`.
                return self.streamedGeneration { flag, events in
                    let options = options.cancelled(by: flag)
                    let answer = try await self.engine {
                        try trove.ask(question, options: options) { text in
                            if !text.isEmpty { events.send(event: "token", json: ["text": text]) }
                        }
                    }
                    events.send(event: "answer", json: answer)
                }
            }
        }
    }
}
