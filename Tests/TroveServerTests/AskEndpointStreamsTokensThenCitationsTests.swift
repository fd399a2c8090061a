import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trove
@testable import TroveServer

@Suite("POST /v1/ask", .serialized)
struct AskEndpointStreamsTokensThenCitationsTests {
    let fixture: ServerFixture

    init() throws { fixture = try ServerFixture() }

    @Test("a whole answer has the shape of `trove ask --json`, and equals the library's")
    func wholeAnswer() async throws {
        var options = AskOptions()
        options.k = 2
        let expected = try fixture.trove.ask("When was Gannet Head lighthouse first lit?", options: options)
        try await fixture.withServer { client in
            let response = try await client.post("/v1/ask", #"{"question": "When was Gannet Head lighthouse first lit?", "k": 2}"#)
            #expect(response.status == .ok)
            let json = try response.json()
            for key in ["question", "answer", "cited_answer", "raw_answer", "citations", "passages", "grounded", "not_covered"] {
                #expect(json[key] != nil, "missing \(key)")
            }
            #expect(json["raw_answer"] as? String == expected.rawAnswer)
            #expect(json["answer"] as? String == expected.answer)
            #expect(json["cited_answer"] as? String == expected.citedAnswer)
        }
    }

    @Test("stream: true sends the shown answer as token events, then one answer event with the citations")
    func streamed() async throws {
        try await fixture.withServer { client in
            let response = try await client.post("/v1/ask", #"{"question": "When was Gannet Head lighthouse first lit?", "k": 2, "stream": true}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let events = response.events
            let tokens = events.filter { $0.event == "token" }
            #expect(!tokens.isEmpty)
            #expect(events.last?.event == "answer")
            let answer = try JSONSerialization.jsonObject(with: Data(events.last!.data.utf8)) as? [String: Any]
            let streamed = try tokens.map { token -> String in
                let object = try JSONSerialization.jsonObject(with: Data(token.data.utf8)) as? [String: Any]
                return object?["text"] as? String ?? ""
            }.joined()
            // What streams is what the answer shows: the quoted sentence with its marker.
            #expect(answer?["cited_answer"] as? String == streamed)
            #expect(answer?["citations"] is [Any])
        }
    }

    @Test("bad ask requests get 400s", arguments: [
        (#"{"question": ""}"#, "field `question` is empty"),
        (#"{"question": "x", "max_tokens": 0}"#, "field `max_tokens` must be between 1"),
        (#"{"question": "x", "max_tokens": 100000}"#, "field `max_tokens` must be between 1"),
        (#"{"question": "x", "temperature": 9}"#, "field `temperature` must be between 0 and 2"),
        (#"{"question": "x", "top_p": 0}"#, "field `top_p` must be in (0, 1]"),
        (#"{"question": "x", "stream": "yes"}"#, "field `stream` must be true or false"),
        (#"{"q": "x"}"#, "missing field `question`"),
    ])
    func badAsks(body: String, message: String) async throws {
        try await fixture.withServer { client in
            let response = try await client.post("/v1/ask", body)
            #expect(response.status == .badRequest)
            #expect(try response.errorMessage().contains(message), "\(String(buffer: response.body))")
        }
    }
}
