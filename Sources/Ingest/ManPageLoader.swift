import Foundation

/// Man pages (`ls.1`, `ls.1.gz`, `ssl.1ssl`, `foo.man`): the roff source read into the text that
/// `man` shows (``ManPageText``), its sections as headings, titled by the NAME line
/// ("ls - list directory contents"). A file named like a man page that is not roff (a rotated
/// log, `syslog.1`) is read as plain text.
///
/// ```swift
/// let page = try ManPageLoader.load(URL(fileURLWithPath: "/usr/share/man/man1/ls.1.gz"))
/// // page.title == "ls - list directory contents", page.headings[0].title == "NAME"
/// ```
public enum ManPageLoader {
    /// Loads a man page.
    public static func load(_ file: URL, limits: FileSizeLimits = .current) throws -> LoadedDocument {
        let source = try DocumentLoader.readText(file, limit: limits.textBytes)
        guard isRoff(source) else { return LoadedDocument(path: file.path, format: .text, text: source) }
        var page = ManPageText()
        page.read(source)
        return LoadedDocument(path: file.path, format: .man, title: page.nameLine ?? page.pageName,
                              text: page.builder.text, headings: page.builder.headings)
    }

    /// Whether `source` is roff: among its first 40 lines that are not blank, one is a control
    /// line that a man page starts with (`.TH`, `.Dd`, `.Dt`, `.SH`, `.so`) or a comment (`.\"`, `'\"`).
    static func isRoff(_ source: String) -> Bool {
        let starts = [".TH", ".Dd", ".Dt", ".SH", ".so", ".\\\"", "'\\\"", ".de", ".if", ".ie", ".ds", ".nr"]
        for line in source.split(separator: "\n", maxSplits: 40).prefix(40) {
            let line = line.trimmingCharacters(in: .whitespaces)
            if starts.contains(where: { line.hasPrefix($0) }) { return true }
        }
        return false
    }
}
