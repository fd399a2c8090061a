/// Turns whatever a user typed into an FTS5 MATCH expression that cannot be a syntax error.
///
/// The text is cut into words (runs of letters and digits, as FTS5's unicode61 tokenizer does);
/// each word is double-quoted, so `NEAR`, `AND`, `*`, `-`, `:` or parentheses are only text, and
/// the words are joined by `OR` so a natural-language question matches any passage sharing a word
/// (BM25 then favours the rare ones). Common English function words are dropped unless nothing
/// else is left, which keeps "the" from ranking every row of a large index.
///
/// `"What's NEAR(the *end*)?"` → `"what" OR "near" OR "end"`.
public enum KeywordQuery {
    /// At most this many distinct words are kept (in order of first appearance).
    public static let maximumWords = 32

    /// The MATCH expression for `text`, or `nil` when it has no words (nothing can match).
    public static func matchExpression(for text: String) -> String? {
        let chosen = words(of: text)
        guard !chosen.isEmpty else { return nil }
        // A word holds no '"' (it is letters and digits only), so quoting needs no escape.
        return chosen.map { "\"\($0)\"" }.joined(separator: " OR ")
    }

    /// The words a query searches for, lower-cased, in order of first appearance: its content words,
    /// or all of them when it has none.
    public static func words(of text: String) -> [String] {
        var seen = Set<String>()
        var words: [String] = []
        for word in text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }) {
            let lowered = word.lowercased()
            if seen.insert(lowered).inserted { words.append(lowered) }
        }
        let content = words.filter { !stopWords.contains($0) }
        return Array((content.isEmpty ? words : content).prefix(maximumWords))
    }

    /// Words that carry no topic in a question.
    static let stopWords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do",
        "does", "for", "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its",
        "me", "my", "of", "on", "or", "our", "s", "should", "so", "t", "than", "that", "the", "their",
        "them", "then", "there", "these", "they", "this", "to", "was", "we", "were", "what", "when",
        "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your",
    ]
}
