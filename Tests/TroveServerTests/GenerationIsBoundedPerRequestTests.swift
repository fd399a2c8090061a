import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trove
import TroveTestSupport
@testable import TroveServer

/// One request cannot hold the generation slot for long: a chat prompt over
/// `maxPromptTokens` gets 400 before it waits for the decoder, and a generation stops after
/// `maxGenerationTime` with what it has (`finish_reason: "length"`).
@Suite(.serialized) struct GenerationIsBoundedPerRequestTests {
    let fixture: ServerFixture

    init() throws { fixture = try ServerFixture(ingest: false) }

    @Test("a chat prompt over the token limit gets 400 context_length_exceeded, before it waits for the decoder",
          .timeLimit(.minutes(2)))
    func longPrompt() async throws {
        fixture.configuration.maxPromptTokens = 200
        // About 5,000 tokens: what held the single slot for 74 s.
        let long = String(repeating: "The lighthouse keeper wrote in the log every night. ", count: 500)
        // Over the limit by a little: counted with the decoder's tokenizer, not estimated from bytes.
        let over = String(repeating: "lighthouse keeper ", count: 150)
        for (prompt, atLeast) in [(long, true), (over, false)] {
            try await fixture.withServer { client, server in
                // The only generation slot is taken for the whole request: a refusal that waited
                // for it (or for a prefill) would never come. No clock: a loaded test machine
                // stalls every request, but cannot make one that waits for the slot answer.
                try await server.generations.run {
                    let response = try await client.post("/v1/chat/completions", """
                        {"max_tokens": 8, "messages": [{"role": "user", "content": "\(prompt)"}]}
                        """)
                    #expect(response.status.code == 400, "\(String(buffer: response.body))")
                    let error = try #require(try response.json()["error"] as? [String: Any])
                    #expect(error["code"] as? String == "context_length_exceeded")
                    let message = error["message"] as? String ?? ""
                    #expect(message.contains("over this server's limit of 200"), "\(error)")
                    #expect(message.contains("at least") == atLeast, "\(error)")
                }
            }
        }
        // A prompt under the limit is still answered (a generation's connection closes after it: a new one).
        try await fixture.withServer { client in
            let short = try await client.post("/v1/chat/completions", #"{"max_tokens": 2, "messages": [{"role": "user", "content": "Hello"}]}"#)
            #expect(short.status.code == 200)
        }
    }

    @Test("a generation that runs past the time limit stops with finish_reason length", arguments: [false, true])
    func timeLimit(stream: Bool) async throws {
        fixture.configuration.maxGenerationTime = .milliseconds(300)
        let body = #"{"max_tokens": 2000, "temperature": 2, "seed": 7, "messages": [{"role": "user", "content": "Write a very long story about a lighthouse."}]}"#
        try await fixture.withServer { client in
            if stream {
                let response = try await client.post("/v1/chat/completions", body.replacingOccurrences(of: "{\"max_tokens\"", with: "{\"stream\": true, \"max_tokens\""))
                #expect(response.status.code == 200)
                let events = response.events
                #expect(events.last?.data == "[DONE]")
                let reasons = events.dropLast().compactMap { event -> String? in
                    let json = try? JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any]
                    return (json?["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String
                }
                #expect(reasons == ["length"])
            } else {
                let response = try await client.post("/v1/chat/completions", body)
                #expect(response.status.code == 200, "\(String(buffer: response.body))")
                let json = try response.json()
                let choice = try #require((json["choices"] as? [[String: Any]])?.first)
                #expect(choice["finish_reason"] as? String == "length")
                let usage = try #require(json["usage"] as? [String: Any])
                #expect((usage["completion_tokens"] as? Int ?? 2000) < 2000)
            }
        }
    }

    @Test("the limits are validated")
    func validation() throws {
        var configuration = fixture.configuration
        configuration.maxPromptTokens = 0
        #expect(throws: ServerSetupError.maxPromptTokens(0)) { try configuration.validate() }
        configuration.maxPromptTokens = 10
        configuration.maxGenerationTime = .zero
        #expect(throws: ServerSetupError.generationTime(.zero)) { try configuration.validate() }
    }
}
