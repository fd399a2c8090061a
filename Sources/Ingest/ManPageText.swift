import Foundation

/// Reads the roff source of a man page into the text a person reads in `man`, block by block
/// (``DocumentTextBuilder``): `.SH`/`.SS` sections as headings (the heading path of a chunk is
/// "OPTIONS > Sorting"), paragraphs filled into one line, an option's tag on its own line above
/// its description (`-a, --all` then "do not ignore entries starting with ."), examples (`.nf`,
/// `.EX`) with their line breaks, and a table's rows as lines of cells joined by " | ".
///
/// The macros are man(7)'s, and mdoc(7)'s for BSD-style pages (``ManPageText+Mdoc.swift``),
/// which the page's first macros choose (`.Dd`, `.Dt`). Conditionals are judged as in a terminal
/// (``RoffCondition``), strings (`.ds`) are kept, and macro definitions (`.de`) are skipped:
/// pages from pod2man define their own macros for what Trove reads directly (`.Vb`, `.Ve`).
struct ManPageText {
    private(set) var builder = DocumentTextBuilder()
    /// `LS(1)`, from `.TH LS 1` or mdoc's `.Dt LS 1`.
    private(set) var pageName: String?
    /// The NAME section's line: "ls - list directory contents".
    private(set) var nameLine: String?
    var escapes = RoffEscapes()

    /// The block being written.
    var block = ""
    /// The next text starts a new line of the block (`.br`, after a tag).
    var breakBefore = false
    /// The next text joins the last with no space (`\c`, mdoc's `.Ns`).
    var joinNext = false
    /// False between `.nf` and `.fi` (and `.EX`/`.EE`, mdoc's literal `.Bd`): lines kept as they are.
    var filling = true
    /// After `.TP`, the next line is the tag (1); after `.TQ`, another tag for the same item (2).
    var awaitingTag = 0
    /// After `.SH` with no arguments, the next line is the heading, at this level.
    var awaitingHeading = 0
    /// The current `.SH` section's title.
    var section = ""
    /// The end of a macro definition or an `.ig` being skipped (`..`).
    private var skipUntil: String?
    /// How many `\{` of a false conditional are still open: its lines are skipped.
    private var falseBraces = 0
    /// The condition of the last `.ie`, for its `.el`.
    private var lastCondition = true
    /// Between `.TS` and `.TE`.
    private var table: RoffTable?
    /// The address of an `.UR`/`.MT` link, shown after its text.
    private var link: String?
    /// mdoc(7) source, and its state.
    var mdoc: MdocState?

    /// Reads `source` to its end.
    mutating func read(_ source: String) {
        // A backslash at the end of a line escapes its newline: the next line continues it.
        var continued = ""
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1 {
                continued += line.dropLast()
                continue
            }
            readLine(continued.isEmpty ? line : Substring(continued + line))
            continued = ""
        }
        if !continued.isEmpty { readLine(Substring(continued)) }
        flush()
        builder.finish()
    }

    mutating func readLine(_ line: Substring) {
        if let end = skipUntil {
            if line.trimmingCharacters(in: .whitespaces) == end { skipUntil = nil }
            return
        }
        if falseBraces > 0 { falseBraces += Self.braceBalance(line); return }
        if table != nil {
            if line.hasPrefix(".TE") { endTable() } else { table?.read(line, escapes: escapes) }
            return
        }
        if line.first == "." || line.first == "'" {
            guard let request = RoffRequest(line) else { return }
            if mdoc == nil, ["Dd", "Dt", "Sh"].contains(request.name) { mdoc = MdocState() }
            if mdoc != nil { mdocRequest(request) } else { manRequest(request) }
        } else if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
            if filling { flush() } else if !block.isEmpty { block += "\n" }
        } else {
            let (text, continues) = escapes.text(line)
            add(text, continues: continues, breaking: line.first == " " || line.first == "\t")
        }
    }

    /// Adds printed text: the tag or heading a macro waits for, else the block's next words (or
    /// line, when not filling). `breaking`: a line that starts with a space starts a new line.
    mutating func add(_ text: String, continues: Bool = false, breaking: Bool = false) {
        if awaitingHeading > 0 {
            let level = awaitingHeading
            awaitingHeading = 0
            return heading(text, level: level)
        }
        if awaitingTag > 0 {
            let tag = text.trimmingCharacters(in: .whitespaces)
            if awaitingTag == 2, !block.isEmpty { block += ", " + tag } else { flush(); block = tag }
            awaitingTag = 0
            breakBefore = true
            return
        }
        if !filling {
            block += (block.isEmpty ? "" : "\n") + text
            return
        }
        let words = text.trimmingCharacters(in: .whitespaces)
        guard !words.isEmpty else { return }
        if block.isEmpty || joinNext { block += words }
        else if breakBefore || breaking { block += "\n" + words }
        else { block += " " + words }
        breakBefore = false
        joinNext = continues
    }

    /// Ends the block: appended as a paragraph (the NAME section's first one is the page's title).
    mutating func flush() {
        let text = block.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty {
            if section.uppercased() == "NAME", nameLine == nil { nameLine = DocumentTextBuilder.collapsingWhitespace(text) }
            builder.appendParagraph(text)
        }
        block = ""
        breakBefore = false
        joinNext = false
    }

    mutating func heading(_ title: String, level: Int) {
        flush()
        let title = DocumentTextBuilder.collapsingWhitespace(title)
        if level == 1 { section = title }
        builder.appendHeading(title, level: level)
    }

    mutating func setPageName(_ arguments: [Substring]) {
        guard let name = arguments.first else { return }
        let section = arguments.count > 1 ? "(\(escapes.text(arguments[1]).text))" : ""
        pageName = escapes.text(name).text + section
    }

    /// The arguments as printed, joined by `separator`.
    func printed(_ arguments: [Substring], separator: String = " ") -> String {
        arguments.map { escapes.text($0).text }.joined(separator: separator)
    }

    /// man(7)'s macros, and the roff requests man pages use.
    private mutating func manRequest(_ request: RoffRequest) {
        let arguments = request.arguments
        switch request.name {
        case "TH": setPageName(arguments)
        case "SH", "SS":
            let level = request.name == "SH" ? 1 : 2
            if arguments.isEmpty { flush(); awaitingHeading = level } else { heading(printed(arguments), level: level) }
        case "PP", "LP", "P", "HP", "sp", "Sp", "RS", "RE", "PD": flush()
        case "br": if !block.isEmpty { breakBefore = true }
        case "TP": flush(); awaitingTag = 1
        case "TQ": awaitingTag = 2
        case "IP":
            flush()
            let tag = arguments.first.map { escapes.text($0).text.trimmingCharacters(in: .whitespaces) } ?? ""
            // A bullet or a number leads its line ("• text"); a longer tag stands above, as .TP's does.
            if tag.count <= 3 { block = tag } else { block = tag; breakBefore = true }
        case "nf", "EX", "Vb": flush(); filling = false
        case "fi", "EE", "Ve": flush(); filling = true
        case "B", "I", "SM", "SB": if !arguments.isEmpty { add(printed(arguments)) }
        case "BR", "RB", "BI", "IB", "RI", "IR": add(printed(arguments, separator: ""))
        case "UR", "MT": link = arguments.first.map { escapes.text($0).text }
        case "UE", "ME":
            if let link { add("<\(link)>" + printed(arguments, separator: "")) }
            link = nil
        case "SY": flush(); add(printed(arguments))
        case "OP": add("[" + printed(arguments) + "]")
        case "YS": flush()
        case "TS": flush(); table = RoffTable()
        default: roffRequest(request)
        }
    }

    /// The requests of roff itself that matter to the text: definitions, strings, conditionals.
    mutating func roffRequest(_ request: RoffRequest) {
        let arguments = request.arguments
        switch request.name {
        case "de", "de1", "am", "ig":
            let end = request.name == "ig" ? arguments.first : arguments.dropFirst().first
            skipUntil = end.map { "." + $0 } ?? ".."
        case "ds", "ds1", "as":
            guard let name = arguments.first else { return }
            var value = request.rest.dropFirst(name.count).drop(while: { $0 == " " || $0 == "\t" })
            if value.first == "\"" { value = value.dropFirst() }
            escapes.strings[String(name)] = (request.name == "as" ? escapes.strings[String(name)] ?? "" : "") + value
        case "if", "ie":
            let (holds, body) = RoffCondition.evaluate(request.rest, strings: escapes.strings, escapes: escapes)
            if request.name == "ie" { lastCondition = holds }
            conditional(holds, body)
        case "el": conditional(!lastCondition, request.rest)
        case "so":
            if let file = arguments.first { flush(); add("See \(escapes.text(file).text)."); flush() }
        default: break                                   // layout (.in, .ti, .ne, .ad, .ft…) and unknown macros
        }
    }

    /// The body of a conditional: read as a line when `holds`; otherwise skipped, with the lines of
    /// a `\{ … \}` block it opens.
    private mutating func conditional(_ holds: Bool, _ body: Substring) {
        guard holds else {
            falseBraces = max(0, Self.braceBalance(body))
            return
        }
        var body = body
        if body.hasPrefix("\\{") { body = body.dropFirst(2).drop(while: { $0 == " " || $0 == "\t" }) }
        let line = body.replacingOccurrences(of: "\\}", with: "")
        if !line.trimmingCharacters(in: .whitespaces).isEmpty { readLine(Substring(line)) }
    }

    /// `\{` opened less `\}` closed on `line`.
    static func braceBalance(_ line: Substring) -> Int {
        line.components(separatedBy: "\\{").count - line.components(separatedBy: "\\}").count
    }

    private mutating func endTable() {
        if let rows = table?.rows, !rows.isEmpty { builder.appendParagraph(rows.joined(separator: "\n")) }
        table = nil
    }
}

/// A tbl(1) table between `.TS` and `.TE`: an options line (`tab(@);`), format lines up to one
/// ending in ".", then rows of cells split at the tab character, `T{ … T}` holding a cell's text
/// over several lines. Each row is kept as one line, its cells joined by " | " (as an HTML table's).
struct RoffTable {
    private(set) var rows: [String] = []
    private var tab: Character = "\t"
    private var readingFormat = true
    private var firstLine = true
    /// The cells of a row whose last cell is a `T{` block still open, and that block's lines.
    private var openRow: [String]?
    private var openText: [String] = []

    mutating func read(_ line: Substring, escapes: RoffEscapes) {
        defer { firstLine = false }
        if line.hasPrefix(".T&") { readingFormat = true; return }
        if readingFormat {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if firstLine, trimmed.hasSuffix(";") {
                if let range = trimmed.range(of: "tab("), let c = trimmed[range.upperBound...].first { tab = c }
                return
            }
            if trimmed.hasSuffix(".") { readingFormat = false }
            return
        }
        if var row = openRow {
            guard line.hasPrefix("T}") else { openText.append(escapes.text(line).text); return }
            row.append(openText.joined(separator: " "))
            openText = []
            openRow = nil
            let rest = line.dropFirst(2)
            readCells(rest.first == tab ? rest.dropFirst() : rest, into: row, escapes: escapes, continuing: true)
            return
        }
        if line.hasPrefix(".") || line.hasPrefix("'") { return }          // .sp and the like inside a table
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed == "_" || trimmed == "=" || trimmed.isEmpty { return } // rules
        readCells(line, into: [], escapes: escapes, continuing: false)
    }

    private mutating func readCells(_ text: Substring, into row: [String], escapes: RoffEscapes, continuing: Bool) {
        var row = row
        let cells = text.split(separator: tab, omittingEmptySubsequences: false)
        for (i, cell) in cells.enumerated() {
            if cell.hasSuffix("T{") {
                openRow = row
                openText = []
                let before = cell.dropLast(2)
                if !before.isEmpty { openText.append(escapes.text(before).text) }
                return
            }
            if continuing, i == 0, cell.isEmpty, cells.count == 1 { break }
            row.append(escapes.text(cell).text.trimmingCharacters(in: .whitespaces))
        }
        let line = row.filter { !$0.isEmpty }.joined(separator: " | ")
        if !line.isEmpty { rows.append(line) }
    }
}
