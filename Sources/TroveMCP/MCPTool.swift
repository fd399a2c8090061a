import MCP

/// The tools Trove offers an agent, with their JSON schemas. Every tool only reads the index
/// (`readOnlyHint`); none reaches beyond this machine (`openWorldHint: false`).
enum MCPTool: String, CaseIterable {
    case search
    case ask
    case getDocument = "get_document"
    case listDocuments = "list_documents"
    case status

    var definition: Tool {
        Tool(name: rawValue, title: title, description: summary, inputSchema: inputSchema,
             annotations: .init(title: title, readOnlyHint: true, destructiveHint: false, idempotentHint: true,
                                openWorldHint: false))
    }

    var title: String {
        switch self {
        case .search: return "Search the documents"
        case .ask: return "Answer from the documents"
        case .getDocument: return "Read a document"
        case .listDocuments: return "List the documents"
        case .status: return "Index status"
        }
    }

    var summary: String {
        switch self {
        case .search:
            return "Find the passages of the user's documents that best match a query (hybrid keyword and " +
                "semantic ranking by default). Returns each passage with its document path, section, " +
                "lines or page, and score, best first."
        case .ask:
            return "Answer a question from the documents: a short answer quoted verbatim from a cited passage, " +
                "with the citations checked, or a plain statement that the documents do not cover it."
        case .getDocument:
            return "Read a document's extracted text by id or path (from search or list_documents), whole or " +
                "a range of lines (line_start, line_end) or characters (start, end)."
        case .listDocuments:
            return "List the indexed documents (id, path, format, title, passages), by path, a page at a time."
        case .status:
            return "Counts of documents and passages, the index file, the encoder, and the formats held."
        }
    }

    var inputSchema: Value {
        switch self {
        case .search:
            return Self.object(required: ["query"], [
                "query": ["type": "string", "description": "What to look for, in words."],
                "k": ["type": "integer", "minimum": 1, "maximum": .int(Self.maximumK), "default": 5,
                      "description": "How many passages to return."],
                "mode": ["type": "string", "enum": ["hybrid", "dense", "keyword"], "default": "hybrid",
                         "description": "hybrid: keyword and semantic; dense: semantic only; keyword: BM25 only."],
            ].merging(Self.filterProperties) { first, _ in first })
        case .ask:
            return Self.object(required: ["question"], [
                "question": ["type": "string", "description": "The question, as a person would ask it."],
                "k": ["type": "integer", "minimum": 1, "maximum": .int(Self.maximumK), "default": 5,
                      "description": "How many passages to retrieve for the answer."],
            ].merging(Self.filterProperties) { first, _ in first })
        case .getDocument:
            return Self.object(required: [], [
                "id": ["type": "integer", "description": "The document id (list_documents shows it)."],
                "path": ["type": "string", "description": "The document path, or a unique ending of it (library/os.html)."],
                "line_start": ["type": "integer", "minimum": 1, "description": "First line to return (1-based)."],
                "line_end": ["type": "integer", "minimum": 1, "description": "Last line to return (inclusive)."],
                "start": ["type": "integer", "minimum": 0, "description": "First character (code-point offset, as search results' start)."],
                "end": ["type": "integer", "minimum": 0, "description": "Character offset where the text ends (exclusive)."],
            ])
        case .listDocuments:
            return Self.object(required: [], [
                "offset": ["type": "integer", "minimum": 0, "default": 0, "description": "Documents to skip."],
                "limit": ["type": "integer", "minimum": 1, "maximum": .int(Self.maximumListed), "default": 100,
                          "description": "Documents to return."],
            ])
        case .status:
            return Self.object(required: [], [:])
        }
    }

    static let maximumK = 50
    static let maximumListed = 1000
    /// Longest text `get_document` returns at once; the rest is read by lines or characters.
    static let maximumDocumentCharacters = 100_000

    /// The search command's filters (`--path`, `--type`, `--since`, `--until`, `--collection`).
    static let filterProperties: [String: Value] = [
        "paths": ["type": "array", "items": ["type": "string"],
                  "description": "Only documents whose path matches one of these globs (`notes/*.md`, `/abs/path/*`)."],
        "types": ["type": "array", "items": ["type": "string"],
                  "description": "Only these formats (text, markdown, html, pdf, code, jsonl, docx, odt, pptx, epub, man) or file extensions."],
        "since": ["type": "string", "description": "Only documents modified at or after this ISO 8601 date."],
        "until": ["type": "string", "description": "Only documents modified before this ISO 8601 date."],
        "collections": ["type": "array", "items": ["type": "string"],
                        "description": "Only documents of these collections (as `trove ingest --collection` named them; by default a folder's name)."],
    ]

    static func object(required: [String], _ properties: [String: Value]) -> Value {
        ["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }),
         "additionalProperties": false]
    }
}
