import Foundation
import TroveTestSupport
import BertEncoder

/// minilm/reference.json: what sentence-transformers produced for 26 texts.
struct MiniLMReference: Decodable {
    struct Item: Decodable, Sendable {
        let id: String
        let text: String
        let input_ids: [Int32]
        let embedding: [Float]
    }
    let items: [Item]

    /// The fixture's items; a missing file throws naming its path.
    static func load() throws -> [Item] {
        try JSONDecoder().decode(MiniLMReference.self, from: Fixtures.data("minilm/reference.json")).items
    }

    /// For `@Test(arguments:)`; `fixturePresent` fails if this is empty.
    static let items: [Item] = (try? load()) ?? []

    /// One embedder for the whole suite (loading copies 90 MB of weights).
    static let embedder: Result<TextEmbedder, Error> = Result {
        try Fixtures.required(Fixtures.encoderFolder.appendingPathComponent("model.safetensors"))
        return try TextEmbedder(modelFolder: Fixtures.encoderFolder)
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0, aa = 0.0, bb = 0.0
    for (x, y) in zip(a, b) { dot += Double(x) * Double(y); aa += Double(x) * Double(x); bb += Double(y) * Double(y) }
    return dot / (aa.squareRoot() * bb.squareRoot())
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
