import Foundation

/// What an mdoc(7) page has said so far: the utility's name (`.Nm ls`, repeated by a bare `.Nm`)
/// and the lists it is inside.
struct MdocState {
    var name: String?
    /// Open `.Bl` lists, innermost last: the list's type (`-tag`, `-bullet`, `-enum`, `-column`…)
    /// and, for `-enum`, the items so far.
    var lists: [(type: String, items: Int)] = []
    /// False after `.Sm off`: words are joined with no spaces (`[user@]hostname`).
    var spacing = true
}

/// mdoc(7), the semantic macros of BSD pages (`ssh.1`): `.Sh` sections, `.Bl`/`.It` lists,
/// `.Bd -literal` displays, and the callable macros inside a line (`.It Fl l Ar login_name` →
/// "-l login_name", `.Op Fl v` → "[-v]", `.Xr ssh_config 5` → "ssh_config(5)").
extension ManPageText {
    mutating func mdocRequest(_ request: RoffRequest) {
        let arguments = request.arguments
        switch request.name {
        case "Dd", "Os", "Bk", "Ek", "Bf", "Ef": break
        case "Sm":
            let spacing = arguments.first.map { $0 == "on" } ?? !(mdoc?.spacing ?? true)
            mdoc?.spacing = spacing
            joinNext = false
        case "Xc": breakBefore = true                   // the end of an item's tag begun with `Xo`
        case "Dt": setPageName(arguments)
        case "Sh", "Ss": heading(mdocText(arguments), level: request.name == "Sh" ? 1 : 2)
        case "Pp", "Lp", "sp": flush()
        case "br": if !block.isEmpty { breakBefore = true }
        case "Nd": add("— " + mdocText(arguments))
        case "Nm":
            if mdoc?.name == nil, let first = arguments.first { mdoc?.name = escapes.text(first).text }
            // In a SYNOPSIS each `.Nm` starts a usage line.
            if section.uppercased() == "SYNOPSIS" { flush() }
            add(mdocText(["Nm"] + arguments))
        case "Bl":
            flush()
            mdoc?.lists.append((arguments.first.map(String.init) ?? "-tag", 0))
        case "El":
            flush()
            _ = mdoc?.lists.popLast()
        case "It": listItem(arguments)
        case "Bd":
            flush()
            if arguments.contains(where: { $0 == "-literal" || $0 == "-unfilled" }) { filling = false }
        case "Ed": flush(); filling = true
        case "D1", "Dl": flush(); add(mdocText(arguments)); flush()
        case "Ns": joinNext = true; add(mdocText(arguments))
        default:
            if Self.callableMacros.contains(request.name) || request.name.hasPrefix("%") {
                // Under `.Sm off` the next line's words join this one's too.
                add(mdocText([Substring(request.name.hasPrefix("%") ? "No" : request.name)] + arguments),
                    continues: !(mdoc?.spacing ?? true))
            } else {
                roffRequest(request)
            }
        }
    }

    /// `.It`: a new item of the innermost list; a tag list's tag stands on its own line above
    /// the item's text, as `.TP`'s does.
    private mutating func listItem(_ arguments: [Substring]) {
        flush()
        guard let list = mdoc?.lists.last else { return add(mdocText(arguments)) }
        switch list.type {
        case "-bullet": block = "•"
        case "-dash", "-hyphen": block = "-"
        case "-enum":
            let last = (mdoc?.lists.count ?? 1) - 1
            mdoc?.lists[last].items += 1
            block = "\(list.items + 1)."
        case "-column":
            add(mdocText(arguments))
        case "-item":
            break
        default:
            // `.It Fl D Xo` … `.Xc`: the tag goes on over the lines up to `.Xc`.
            let extended = arguments.last == "Xo"
            let tag = mdocText(extended ? arguments.dropLast() : arguments)
            if !tag.isEmpty { block = tag; breakBefore = !extended }
        }
    }

    /// Macros that may appear inside a line (mdoc(7), "MACRO SYNTAX": "callable").
    static let callableMacros: Set<String> = [
        "Ac", "Ad", "An", "Ao", "Ap", "Aq", "Ar", "At", "Bc", "Bo", "Bq", "Brc", "Bro", "Brq", "Bsx", "Bx", "Cd",
        "Cm", "Dc", "Do", "Dq", "Dv", "Dx", "Ec", "Em", "Eo", "Er", "Es", "Ev", "Ex", "Fa", "Fc", "Fd", "Fl", "Fn",
        "Fo", "Ft", "Fx", "Ic", "In", "Lb", "Li", "Lk", "Ms", "Mt", "Nm", "No", "Ns", "Nx", "Oc", "Oo", "Op", "Ox",
        "Pa", "Pc", "Pf", "Po", "Pq", "Qc", "Ql", "Qo", "Qq", "Rv", "Sc", "So", "Sq", "St", "Sx", "Sy", "Ta", "Tn",
        "Ux", "Va", "Vt", "Xc", "Xo", "Xr",
    ]

    /// Enclosures over the rest of the line (`.Op Fl v` → "[-v]"), and their open/close pairs.
    private static let enclosures: [String: (String, String)] = [
        "Aq": ("⟨", "⟩"), "Bq": ("[", "]"), "Brq": ("{", "}"), "Dq": ("“", "”"), "Op": ("[", "]"), "Pq": ("(", ")"),
        "Ql": ("‘", "’"), "Qq": ("\"", "\""), "Sq": ("‘", "’"),
    ]
    private static let openers: [String: String] = ["Ao": "⟨", "Bo": "[", "Bro": "{", "Do": "“", "Oo": "[", "Po": "(", "Qo": "\"", "So": "‘"]
    private static let closers: [String: String] = ["Ac": "⟩", "Bc": "]", "Brc": "}", "Dc": "”", "Oc": "]", "Pc": ")", "Qc": "\"", "Sc": "’"]
    private static let systems: [String: String] = [
        "Ux": "UNIX", "Bx": "BSD", "Ox": "OpenBSD", "Nx": "NetBSD", "Fx": "FreeBSD", "Dx": "DragonFly", "Bsx": "BSD/OS", "At": "AT&T UNIX",
    ]

    /// The printed text of a line of mdoc arguments, callable macros applied.
    func mdocText(_ arguments: some Collection<Substring>) -> String {
        var words = MdocWords(spacing: mdoc?.spacing ?? true)
        render(ArraySlice(arguments), into: &words)
        return words.text
    }

    private func render(_ tokens: ArraySlice<Substring>, into words: inout MdocWords) {
        var i = tokens.startIndex
        // The plain arguments from i up to the next macro.
        func plain(from start: Int) -> ArraySlice<Substring> {
            var end = start
            while end < tokens.endIndex, !Self.callableMacros.contains(String(tokens[end])) { end += 1 }
            return tokens[start ..< end]
        }
        while i < tokens.endIndex {
            let token = String(tokens[i])
            i += 1
            guard Self.callableMacros.contains(token) else {
                words.append(escapes.text(Substring(token)).text)
                continue
            }
            if let (open, close) = Self.enclosures[token] {
                // The enclosure ends before the line's closing punctuation: `.Pq Ar file .` → "(file)."
                var end = tokens.endIndex
                while end > i, MdocWords.closing.contains(String(tokens[end - 1])) { end -= 1 }
                var inner = MdocWords(spacing: words.spacing)
                render(tokens[i ..< end], into: &inner)
                words.append(open + inner.text + close)
                i = end
                continue
            }
            if let open = Self.openers[token] { words.append(open); words.attachNext = true; continue }
            if let close = Self.closers[token] { words.append(close, attached: true); continue }
            let args = plain(from: i)
            switch token {
            case "Fl":
                // `.Fl v` → "-v"; a bare `.Fl` → "-" (`.Fl Fl long` → "--long" reads as -, then -long).
                if args.allSatisfy({ MdocWords.closing.contains(String($0)) }) { words.append("-") }
                for arg in args {
                    let closing = MdocWords.closing.contains(String(arg))
                    words.append(closing ? String(arg) : "-" + escapes.text(arg).text)
                }
                i = args.endIndex
            case "Ar":
                if args.isEmpty { words.append("file ...") }
            case "Nm":
                if args.isEmpty || MdocWords.closing.contains(String(args.first!)) { words.append(mdoc?.name ?? "") }
            case "Xr":
                if let name = args.first {
                    let section = args.dropFirst().first.map { "(\(escapes.text($0).text))" } ?? ""
                    words.append(escapes.text(name).text + section)
                    i = args.startIndex + min(args.count, 2)
                }
            case "Fn":
                if let name = args.first {
                    let parameters = args.dropFirst().prefix(while: { !MdocWords.closing.contains(String($0)) })
                    words.append(escapes.text(name).text + "(" + parameters.map { escapes.text($0).text }.joined(separator: ", ") + ")")
                    i = args.startIndex + 1 + parameters.count
                }
            case "Lk":
                if let url = args.first {
                    let label = args.dropFirst().prefix(while: { !MdocWords.closing.contains(String($0)) })
                    words.append(label.isEmpty ? escapes.text(url).text : label.map { escapes.text($0).text }.joined(separator: " ") + " <\(escapes.text(url).text)>")
                    i = args.startIndex + 1 + label.count
                }
            case "Ns": words.attachNext = true
            case "Pf":
                if let prefix = args.first { words.append(escapes.text(prefix).text); words.attachNext = true; i = args.startIndex + 1 }
            case "Ap": words.append("'", attached: true); words.attachNext = true
            case "Ta": words.append("|")
            case "Ex":
                words.append("The \(mdoc?.name ?? "utility") utility exits 0 on success, and >0 if an error occurs.")
                i = args.endIndex
            case "Rv":
                words.append("The \(mdoc?.name ?? "function")() function returns the value 0 if successful; otherwise the value -1 is returned and the global variable errno is set to indicate the error.")
                i = args.endIndex
            case "St":
                if let standard = args.first { words.append(Self.standards[String(standard)] ?? String(standard)); i = args.startIndex + 1 }
            default:
                if let system = Self.systems[token] { words.append(system) }
                // The other macros set a style (Cm, Pa, Ev, Sy, Em…): their arguments print as they are.
            }
        }
    }

    private static let standards: [String: String] = [
        "-p1003.1": "IEEE Std 1003.1 (“POSIX.1”)", "-p1003.1-2008": "IEEE Std 1003.1-2008 (“POSIX.1”)",
        "-p1003.2": "IEEE Std 1003.2 (“POSIX.2”)", "-ansiC": "ANSI X3.159-1989 (“ANSI C89”)", "-isoC": "ISO/IEC 9899:1990 (“ISO C90”)",
        "-isoC-99": "ISO/IEC 9899:1999 (“ISO C99”)", "-susv2": "Version 2 of the Single UNIX Specification (“SUSv2”)",
        "-susv3": "Version 3 of the Single UNIX Specification (“SUSv3”)", "-xpg4.2": "X/Open Portability Guide Issue 4, Version 2 (“XPG4.2”)",
    ]
}

/// Words of an mdoc line joined as mdoc joins them: by a space, except before closing punctuation
/// and after opening punctuation or `.Ns`.
struct MdocWords {
    static let closing: Set<String> = [".", ",", ":", ";", ")", "]", "?", "!"]
    static let opening: Set<String> = ["(", "["]
    private(set) var text = ""
    var attachNext = false
    /// False under `.Sm off`.
    let spacing: Bool

    init(spacing: Bool = true) { self.spacing = spacing }

    mutating func append(_ word: String, attached: Bool = false) {
        guard !word.isEmpty else { return }
        if text.isEmpty || attachNext || attached || !spacing || Self.closing.contains(word) { text += word } else { text += " " + word }
        attachNext = Self.opening.contains(word)
    }
}
