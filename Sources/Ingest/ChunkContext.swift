/// What the encoder reads for a chunk: where the chunk is, then the chunk.
///
/// A passage deep in a long document rarely repeats its document's title or its section's
/// heading ("Sets" under "Data Structures", the second half of an abstract without its title), so
/// on its own it is not found by those words. The encoder is given
/// "Title > Section > Subsection" on a line before the text: the heading path when the loader
/// found one (Markdown and HTML; it starts at the document's top heading), else the title found in
/// the content (a JSONL record's title, a PDF's title). Never the file name: the context, and so
/// the vector, must not change when a file is moved (a move keeps its vectors). The context is stored beside the chunk
/// (`chunks.context`) and indexed by BM25 as a second column; the stored text, its offsets and
/// its citations are the chunk's own.
///
/// The context is left out when the chunk already starts with it (the first chunk of a titled
/// abstract, a section's first chunk under a one-level path), and cut to ``maximumCharacters``
/// so that it takes a few word pieces of the encoder's 256, not the chunk's tail.
public enum ChunkContext {
    /// Longest context kept, in characters (about 30 word pieces of English).
    public static let maximumCharacters = 120

    /// The context of a chunk with this text, heading path and document title; nil when it has
    /// none or starts with it.
    public static func context(of text: String, headingPath: String?, title: String?) -> String? {
        let path = headingPath?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let context = path.isEmpty ? (title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") : path
        guard !context.isEmpty, !text.hasPrefix(context) else { return nil }
        // Keep the end: the section nearest the chunk says most about it.
        return context.count > maximumCharacters ? "…" + context.suffix(maximumCharacters) : context
    }

    /// The text the encoder reads: the context on a line before the chunk's text.
    public static func embeddedText(_ text: String, context: String?) -> String {
        context.map { $0 + "\n" + text } ?? text
    }

}
