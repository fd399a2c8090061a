import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Trove
@testable import TroveServer

@Suite("OpenAI-compatible endpoints", .serialized)
struct OpenAIEndpointsMatchTheirShapesTests {
    let fixture: ServerFixture

    init() throws { fixture = try ServerFixture(ingest: false) }

    var decoderName: String { fixture.trove.modelNames.decoder }

    @Test("GET /v1/models lists the encoder, the decoder and trove")
    func models() async throws {
        let names = fixture.trove.modelNames
        try await fixture.withServer { client in
            let json = try await client.get("/v1/models").json()
            #expect(json["object"] as? String == "list")
            let ids = (json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == [names.encoder, names.decoder, "trove"])
        }
    }

    @Test("model trove answers the last user turn from the index, with its citations as data")
    func retrievalChat() async throws {
        let indexed = try ServerFixture(ingest: true)
        try await indexed.withServer { client in
            let body = #"{"model": "trove", "messages": [{"role": "user", "content": "When was Gannet Head lighthouse first lit?"}]}"#
            let json = try await client.post("/v1/chat/completions", body).json()
            #expect(json["model"] as? String == "trove", "\(json)")
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
            // The quote is the answer's sentence with the rest of its paragraph, then its [n].
            #expect(content.contains("Gannet Head lighthouse was first lit in 1853. Its lens was made in Paris. [1]"), "\(content)")
            #expect(content.contains("\n\nSources:\n[1] "))
            let citations = try #require(json["citations"] as? [[String: Any]])
            #expect((citations.first?["path"] as? String)?.hasSuffix("gannet.md") == true)
            #expect(choice["finish_reason"] as? String == "stop")
        }
        // (A whole reply closes its connection: the next request gets a new one.)
        try await indexed.withServer { client in
            let none = #"{"model": "trove", "messages": [{"role": "system", "content": "Be brief."}]}"#
            let refused = try await client.post("/v1/chat/completions", none)
            #expect(refused.status == .badRequest)
            #expect(try refused.errorMessage().contains("no user message"))
        }
    }

    @Test("embeddings: floats and base64 both equal the library's vectors, in input order")
    func embeddings() async throws {
        let texts = ["Gannet Head lighthouse", "sourdough starter"]
        let expected = try fixture.trove.embed(texts).map(\.embedding)
        try await fixture.withServer { client in
            let floats = try await client.post("/v1/embeddings", #"{"input": ["Gannet Head lighthouse", "sourdough starter"]}"#).json()
            let data = try #require(floats["data"] as? [[String: Any]])
            #expect(data.map { $0["index"] as? Int } == [0, 1])
            #expect(data.map { ($0["embedding"] as? [Double])?.map(Float.init) } == expected)
            #expect((floats["usage"] as? [String: Any])?["prompt_tokens"] as? Int ?? 0 > 4)

            let encoded = try await client.post("/v1/embeddings", #"{"input": "Gannet Head lighthouse", "encoding_format": "base64"}"#).json()
            let text = try #require((encoded["data"] as? [[String: Any]])?.first?["embedding"] as? String)
            let bytes = try #require(Data(base64Encoded: text))
            let values = bytes.withUnsafeBytes { raw in
                (0..<raw.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
            #expect(values == expected[0])
        }
    }

    @Test("embeddings refuse what they cannot honour", arguments: [
        (#"{"input": [1, 2, 3]}"#, 400, "token ids"),
        (#"{"input": []}"#, 400, "1 to 2048 texts"),
        (#"{"input": "x", "dimensions": 128}"#, 400, "`dimensions` must be 384"),
        (#"{"input": "x", "encoding_format": "int8"}"#, 400, "float or base64"),
        (#"{"input": "x", "model": "text-embedding-3-small"}"#, 404, "does not exist"),
        (#"{"model": "x"}"#, 400, "missing field `input`"),
    ])
    func embeddingErrors(body: String, status: Int, message: String) async throws {
        try await fixture.withServer { client in
            let response = try await client.post("/v1/embeddings", body)
            #expect(response.status.code == status)
            #expect(try response.errorMessage().contains(message), "\(String(buffer: response.body))")
        }
    }

    @Test("chat completion: OpenAI's shape, greedy by default, the library's text")
    func chatCompletion() async throws {
        var options = GenerationOptions()
        options.maxTokens = 12
        let expected = try fixture.trove.chat([ChatTurn(.user, "What is the capital of France?")], options: options)
        let name = decoderName
        try await fixture.withServer { client in
            let json = try await client.post("/v1/chat/completions", """
                {"model": "\(name)", "max_tokens": 12, "messages": [{"role": "user", "content": "What is the capital of France?"}]}
                """).json()
            #expect(json["object"] as? String == "chat.completion")
            #expect((json["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            #expect((choice["message"] as? [String: Any])?["content"] as? String == expected.text)
            #expect((choice["message"] as? [String: Any])?["role"] as? String == "assistant")
            #expect(["stop", "length"].contains(choice["finish_reason"] as? String ?? ""))
            let usage = try #require(json["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == expected.promptIDs.count)
            #expect(usage["completion_tokens"] as? Int == expected.generatedIDs.count)
        }
    }

    @Test("chat streaming: a role chunk, content chunks that add up to the whole reply, a finish chunk, [DONE]")
    func chatStream() async throws {
        let body = #"{"max_tokens": 12, "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "What is the capital of France?"}]}]}"#
        // A generation's connection is closed after its response: one request per connection.
        let whole = try await fixture.withServer { client in
            let response = try await client.post("/v1/chat/completions", body)
            #expect(response.headers[.connection] == "close")
            return String(buffer: response.body)
        }
        let wholeJSON = try #require(try JSONSerialization.jsonObject(with: Data(whole.utf8)) as? [String: Any])
        let wholeText = ((wholeJSON["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String
        try await fixture.withServer { client in
            let streamed = try await client.post("/v1/chat/completions",
                                                 body.replacingOccurrences(of: #""max_tokens""#, with: #""stream": true, "stream_options": {"include_usage": true}, "max_tokens""#))
            let events = streamed.events
            #expect(events.last?.data == "[DONE]")
            let chunks = try events.dropLast().map { try #require(JSONSerialization.jsonObject(with: Data($0.data.utf8)) as? [String: Any]) }
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
            let deltas = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any] }
            #expect(deltas.first?["role"] as? String == "assistant")
            #expect(deltas.compactMap { $0["content"] as? String }.joined() == wholeText)
            #expect(chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String }.count == 1)
            #expect(chunks.last?["usage"] != nil)
        }
    }

    @Test("chat refuses what it cannot honour", arguments: [
        (#"{"messages": []}"#, 400, "field `messages` is empty"),
        (#"{"messages": [{"role": "tool", "content": "x"}]}"#, 400, "\"tool\" is not supported"),
        (#"{"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}"#, 400, "text only"),
        (#"{"messages": [{"role": "user", "content": "x"}], "n": 2}"#, 400, "field `n` must be 1"),
        (#"{"messages": [{"role": "user", "content": "x"}], "model": "gpt-4o"}"#, 404, "does not exist"),
        (#"{"messages": [{"role": "user"}]}"#, 400, "missing field `messages[0].content`"),
        (#"{"messages": "hello"}"#, 400, "field `messages` must be an array"),
    ])
    func chatErrors(body: String, status: Int, message: String) async throws {
        let body = body.replacingOccurrences(of: #""messages""#, with: #""max_tokens": 2, "messages""#)
        try await fixture.withServer { client in
            let response = try await client.post("/v1/chat/completions", body)
            #expect(response.status.code == status, "\(String(buffer: response.body))")
            #expect(try response.errorMessage().contains(message), "\(String(buffer: response.body))")
        }
    }

    @Test("a conversation longer than the context gets 400 context_length_exceeded")
    func contextLength() async throws {
        let long = String(repeating: "lighthouse ", count: 9000)
        try await fixture.withServer { client in
            let response = try await client.post("/v1/chat/completions", #"{"max_tokens": 10, "messages": [{"role": "user", "content": "\#(long)"}]}"#)
            #expect(response.status == .badRequest)
            let error = try #require(try response.json()["error"] as? [String: Any])
            #expect(error["code"] as? String == "context_length_exceeded")
        }
    }
}
