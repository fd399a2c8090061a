import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

/// A man(7) page as groff pages are written: a preamble of strings and conditionals, a macro
/// definition, sections, tagged options, an example, a table and the usual escapes.
private let manPage = #"""
.\" Copyright and licence: a comment, never text.
.de Vx
.nf
..
.ie n .ds Q" ""
.el   .ds Q" ``
.TH LAMP 1 "December 2026" "lamp 2.1" "User Commands"
.SH NAME
lamp \- switch the lighthouse lamp on and off
.SH SYNOPSIS
.B lamp
[\fIOPTION\fR]... \fIMODE\fR
.SH DESCRIPTION
Switch the lamp to \fBMODE\fR \(em steady or flashing \(em for
\*(Q"night\*(Q" use.
The lamp's period is set in \
seconds.
.SS "Modes and periods"
.TP
.BR \-p ", " \-\-period =\fISECONDS\fR
flash once every
.I SECONDS
(default 30).
.TP
\fB\-s\fR
.TQ
\fB\-\-steady\fR
burn without flashing.
.IP \(bu 2
A bullet item, à la carte.
.PP
Example:
.PP
.nf
.RS
lamp \-\-period=15
lamp \-s
.RE
.fi
.TS
tab(@);
l l.
MODE@PERIOD
flashing@30 s
steady@\-
.TE
.if t .SH "TYPESET ONLY"
.SH "SEE ALSO"
.BR beacon (8)
"""#

/// An mdoc(7) page, as BSD utilities ship them.
private let mdocPage = #"""
.Dd December 6, 2026
.Dt FOGHORN 1
.Os
.Sh NAME
.Nm foghorn
.Nd sound the fog signal
.Sh SYNOPSIS
.Nm
.Op Fl qv
.Op Fl i Ar interval
.Ar station
.Sh DESCRIPTION
The
.Nm
utility sounds the horn of
.Ar station ,
as
.Xr horn.conf 5
says.
Stations are named as
.Sm off
.Oo Ar user No @ Oc Ar host
.Sm on
like ssh does.
.Bl -tag -width Ds
.It Fl i Ar interval
Seconds between blasts
.Pq default 90 .
.It Fl v
Verbose.
.El
.Bd -literal -offset indent
foghorn -i 30 north
foghorn -v south
.Ed
.Sh EXIT STATUS
.Ex -std
"""#

@Suite("Man pages load as the text man shows")
struct ManPagesLoadTests {
    private func load(_ name: String, _ source: String) throws -> LoadedDocument {
        let folder = try TemporaryFolder()
        return try #require(try DocumentLoader.load(try folder.write(name, source)).first)
    }

    @Test("a man(7) page: titled by its NAME line, sections as headings, escapes resolved")
    func manMacros() throws {
        let page = try load("lamp.1", manPage)
        #expect(page.format == .man)
        #expect(page.title == "lamp - switch the lighthouse lamp on and off")
        #expect(page.headings.map(\.title) == ["NAME", "SYNOPSIS", "DESCRIPTION", "Modes and periods", "SEE ALSO"])
        #expect(page.headings.map(\.level) == [1, 1, 1, 2, 1])
        #expect(page.text.contains("lamp [OPTION]... MODE"))
        // \(em, a string defined under `.ie n`, an escaped newline joining two lines.
        #expect(page.text.contains("Switch the lamp to MODE — steady or flashing — for \"night\" use. The lamp's period is set in seconds."))
        #expect(!page.text.contains("Copyright"))
        #expect(!page.text.contains("TYPESET ONLY"))
        #expect(page.text.contains("beacon(8)"))
    }

    @Test("an option's tag stands on its own line above its description; .TQ adds a second tag")
    func taggedParagraphs() throws {
        let page = try load("lamp.1", manPage)
        #expect(page.text.contains("-p, --period=SECONDS\nflash once every SECONDS (default 30)."))
        #expect(page.text.contains("-s, --steady\nburn without flashing."))
        #expect(page.text.contains("• A bullet item, à la carte."))
    }

    @Test("an example keeps its line breaks and a table's rows are lines of cells")
    func examplesAndTables() throws {
        let page = try load("lamp.1", manPage)
        #expect(page.text.contains("lamp --period=15\nlamp -s"))
        #expect(page.text.contains("MODE | PERIOD\nflashing | 30 s\nsteady | -"))
    }

    @Test("an mdoc(7) page: callable macros, lists, spacing off, literal displays")
    func mdocMacros() throws {
        let page = try load("foghorn.1", mdocPage)
        #expect(page.format == .man)
        #expect(page.title == "foghorn — sound the fog signal")
        #expect(page.headings.map(\.title) == ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS"])
        #expect(page.text.contains("foghorn [-qv] [-i interval] station"))
        #expect(page.text.contains("The foghorn utility sounds the horn of station, as horn.conf(5) says."))
        #expect(page.text.contains("named as [user@]host like ssh does."))
        #expect(page.text.contains("-i interval\nSeconds between blasts (default 90)."))
        #expect(page.text.contains("foghorn -i 30 north\nfoghorn -v south"))
        #expect(page.text.contains("The foghorn utility exits 0 on success, and >0 if an error occurs."))
    }

    @Test("a gzip-compressed page loads as the page itself does")
    func gzipped() throws {
        let folder = try TemporaryFolder()
        let plain = try folder.write("lamp.1", manPage)
        let packed = try folder.write("lamp.1.gz", try gzip(Data(manPage.utf8)))
        var document = try #require(try DocumentLoader.load(packed).first)
        #expect(document.path == packed.path)
        document.path = plain.path
        #expect(document == (try DocumentLoader.load(plain).first))
    }

    @Test("a gzip file of several members (cat a.gz b.gz) loads all of them")
    func multiMember() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("NEWS.gz", try gzip(Data("first half, ".utf8)) + (try gzip(Data("second half\n".utf8))))
        #expect(try DocumentLoader.load(file).first?.text == "first half, second half\n")
    }

    @Test("the format follows the name: a .gz file is read as the name inside it, a README.Debian as text", arguments: [
        ("ls.1.gz", DocumentFormat.man), ("ls.1", .man), ("Digest.3pm.gz", .man), ("openssl.1ssl", .man), ("readline.3readline.gz", .man),
        ("README.gz", .text), ("notes.md.gz", .markdown), ("page.html.gz", .html), ("app.log.gz", .text),
        ("report.pdf.gz", nil), ("backup.tar.gz", nil), ("photo.png.gz", nil), ("v1.10", nil),
        ("README.Debian", .text), ("NEWS.Debian.gz", .text), ("changelog.Debian.gz", .text), ("INSTALL.unix", .text),
        ("README.md", .markdown), ("notes.Debian", nil),
    ] as [(String, DocumentFormat?)])
    func formats(name: String, format: DocumentFormat?) {
        #expect(DocumentLoader.format(of: URL(fileURLWithPath: "/docs/" + name)) == format)
    }

    @Test("a file named like a man page that is not roff (a rotated log) is plain text")
    func notRoff() throws {
        let page = try load("syslog.1", "Dec  6 10:00:01 host cron[1]: started\n")
        #expect(page.format == .text)
        #expect(page.text == "Dec  6 10:00:01 host cron[1]: started\n")
    }

    @Test("damaged, truncated or non-gzip .gz files are refused, naming the file")
    func damaged() throws {
        let folder = try TemporaryFolder()
        let packed = try gzip(Data(manPage.utf8))
        let truncated = try folder.write("cut.1.gz", packed.prefix(packed.count / 2))
        let notGzip = try folder.write("plain.1.gz", manPage)
        var flipped = packed
        flipped[flipped.count - 6] ^= 0xff                     // the CRC-32 no longer matches
        let corrupt = try folder.write("crc.1.gz", flipped)
        for file in [truncated, notGzip, corrupt] {
            #expect {
                try DocumentLoader.load(file)
            } throws: { error in
                guard case let LoaderError.corruptGzip(path, _) = error else { return false }
                return path == file.path && "\(error)".contains(file.lastPathComponent)
            }
        }
    }

    @Test("a gzip bomb stops at the limit for text")
    func bomb() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("bomb.txt.gz", try gzip(Data(repeating: 0x61, count: 4 << 20)))
        let limits = FileSizeLimits(allFormats: 1 << 20)
        #expect(throws: LoaderError.decompressedTooLarge(file: file.path, part: "bomb.txt", limit: 1 << 20)) {
            try DocumentLoader.load(file, limits: limits)
        }
    }

    @Test("roff the loader does not know never stops it", arguments: [
        ".if \\n(.g \\{\\\n.ds x y\n", ".TS\nT{\nunclosed", ".de Never\n.SH LOST", "\\", ".\\}", ".ie", ".el", ".TH",
        ".Dd\n.It\n.El\n.El\n.Bl\n.Op\n.Xr\n.Fl\n.Sm\n.Pq", "\\(", "\\[", "\\*[", "\\s", "\\f", "\\N'x'", "\\h'",
    ])
    func oddInput(source: String) throws {
        _ = try load("odd.1", ".TH ODD 1\n" + source)
    }

    /// `gzip -c -n` of `data`.
    private func gzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread { input.fileHandleForWriting.write(data); try? input.fileHandleForWriting.close() }
        writer.start()
        let packed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return packed
    }
}
