import Foundation
import TroveTestSupport

/// minilm/reference.json: what sentence-transformers produced for 26 texts.
struct MiniLMReference: Decodable {
    struct Item: Decodable, Sendable {
        let id: String
        let text: String
        let input_ids: [Int32]
        let tokens: [String]
        let num_tokens_untruncated: Int
    }
    let items: [Item]

    /// The fixture's items; an empty list (so the parameterised test fails) is never returned:
    /// a missing file throws naming its path.
    static func load() throws -> [Item] {
        try JSONDecoder().decode(MiniLMReference.self, from: Fixtures.data("minilm/reference.json")).items
    }

    /// For `@Test(arguments:)`, which needs the list before the test runs.
    static let items: [Item] = (try? load()) ?? []
}

