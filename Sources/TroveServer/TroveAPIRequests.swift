import Foundation
import Trove

/// The bodies of Trove's own endpoints, with their limits. Decoding checks types (``JSONBody``);
/// `validated()` checks values and fills in defaults, so a handler sees only sensible requests.
enum Limits {
    /// Results a search may ask for (`trove search -k` allows more: a script has no HTTP body to fill).
    static let k = 1...100
    /// New tokens one generation may ask for.
    static let maxTokens = 1...2048
    static let temperature: ClosedRange<Float> = 0...2
    /// Texts one embeddings request may carry.
    static let embeddingInputs = 1...2048
}

/// `POST /v1/search`.
struct SearchRequest: Decodable {
    var query: String
    var k: Int?
    var mode: String?
    /// Keep every signal behind each result's score (`explain` in each result).
    var explain: Bool?
    /// Which documents to search (`{"paths", "types", "since", "until"}`, dates ISO 8601).
    var filter: SearchFilter?

    func validated() throws -> (query: String, k: Int, mode: SearchMode) {
        guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("field `query` is empty", param: "query")
        }
        return (query, try checkK(k), try searchMode(mode))
    }
}

/// `POST /v1/ask`.
struct AskRequest: Decodable {
    var question: String
    var k: Int?
    var mode: String?
    var stream: Bool?
    var sampling: SamplingFields

    var filter: SearchFilter?

    enum CodingKeys: String, CodingKey { case question, k, mode, stream, filter }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        question = try container.decode(String.self, forKey: .question)
        k = try container.decodeIfPresent(Int.self, forKey: .k)
        mode = try container.decodeIfPresent(String.self, forKey: .mode)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
        filter = try container.decodeIfPresent(SearchFilter.self, forKey: .filter)
        sampling = try SamplingFields(from: decoder)
    }

    func validated() throws -> AskOptions {
        guard !question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.badRequest("field `question` is empty", param: "question")
        }
        var options = AskOptions()
        options.k = try checkK(k ?? options.k)
        options.mode = try searchMode(mode)
        options.filter = filter ?? SearchFilter()
        // `ask` quotes the passages and samples nothing: the sampling fields are still checked (a
        // bad value is a 400, as before) but have no effect.
        var generation = GenerationOptions()
        try sampling.apply(to: &generation)
        return options
    }
}

/// The sampling fields shared by `/v1/ask` and `/v1/chat/completions` (OpenAI's names).
struct SamplingFields: Decodable {
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var temperature: Float?
    var topK: Int?
    var topP: Float?
    var minP: Float?
    var repetitionPenalty: Float?
    var seed: Int64?

    enum CodingKeys: String, CodingKey {
        case temperature, seed
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topK = "top_k"
        case topP = "top_p"
        case minP = "min_p"
        case repetitionPenalty = "repetition_penalty"
    }

    /// Checks ranges and writes the given fields over `options` (absent fields keep its defaults:
    /// greedy decoding unless a temperature above 0 is given).
    func apply(to options: inout GenerationOptions) throws {
        if let tokens = maxCompletionTokens ?? maxTokens {
            let field = maxCompletionTokens != nil ? "max_completion_tokens" : "max_tokens"
            guard Limits.maxTokens.contains(tokens) else {
                throw APIError.badRequest("field `\(field)` must be between 1 and \(Limits.maxTokens.upperBound), got \(tokens)", param: field)
            }
            options.maxTokens = tokens
        }
        if let temperature {
            guard Limits.temperature.contains(temperature) else {
                throw APIError.badRequest("field `temperature` must be between 0 and 2, got \(temperature)", param: "temperature")
            }
            options.temperature = temperature
        }
        if let topK {
            guard topK >= 0 else { throw APIError.badRequest("field `top_k` must be 0 (off) or more, got \(topK)", param: "top_k") }
            options.topK = topK
        }
        if let topP {
            guard topP > 0 && topP <= 1 else {
                throw APIError.badRequest("field `top_p` must be in (0, 1], got \(topP)", param: "top_p")
            }
            options.topP = topP
        }
        if let minP {
            guard (0...1).contains(minP) else { throw APIError.badRequest("field `min_p` must be in [0, 1], got \(minP)", param: "min_p") }
            options.minP = minP
        }
        if let repetitionPenalty {
            guard repetitionPenalty > 0 && repetitionPenalty <= 10 else {
                throw APIError.badRequest("field `repetition_penalty` must be in (0, 10], got \(repetitionPenalty)", param: "repetition_penalty")
            }
            options.repetitionPenalty = repetitionPenalty
        }
        if let seed { options.seed = UInt64(bitPattern: seed) }
    }
}

/// `POST /v1/documents`: a path on the server's machine, or a text with a file name.
struct DocumentRequest: Decodable {
    var path: String?
    var text: String?
    var name: String?
    /// The collection the documents go into: by default the folder's name for a path (as
    /// `trove ingest`), "uploads" for text.
    var collection: String?

    /// The collection of text sent in the body when the request names none.
    static let uploadsCollection = "uploads"

    enum Source {
        case path(URL)
        case text(String, name: String?)
    }

    func validated() throws -> Source {
        if let collection, collection.isEmpty {
            throw APIError.badRequest("field `collection` is empty", param: "collection")
        }
        switch (path, text) {
        case (let path?, nil):
            guard !path.isEmpty else { throw APIError.badRequest("field `path` is empty", param: "path") }
            guard path.hasPrefix("/") else {
                throw APIError.badRequest("field `path` must be absolute (the server's working folder is not the client's)", param: "path")
            }
            return .path(URL(fileURLWithPath: path))
        case (nil, let text?):
            return .text(text, name: name)
        case (nil, nil):
            throw APIError.badRequest("give `path` (a file or folder on the server) or `text` (the document itself)")
        case (.some, .some):
            throw APIError.badRequest("give either `path` or `text`, not both")
        }
    }
}

func checkK(_ k: Int?) throws -> Int {
    let k = k ?? 5
    guard Limits.k.contains(k) else {
        throw APIError.badRequest("field `k` must be between \(Limits.k.lowerBound) and \(Limits.k.upperBound), got \(k)", param: "k")
    }
    return k
}

func searchMode(_ name: String?) throws -> SearchMode {
    guard let name else { return .default }
    guard let mode = SearchMode(rawValue: name) else {
        throw APIError.badRequest("field `mode` must be dense, keyword or hybrid, got \"\(name)\"", param: "mode")
    }
    return mode
}
