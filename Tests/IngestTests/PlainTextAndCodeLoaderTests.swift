import Foundation
import Testing
import TroveTestSupport
@testable import Ingest

@Suite("Plain text and code loaders")
struct PlainTextAndCodeLoaderTests {
    @Test("a .txt file is loaded as its own text", arguments: ["notes.txt", "notes.text", "notes.rst", "server.log", "README"])
    func plainText(name: String) throws {
        let folder = try TemporaryFolder()
        let text = "Line one.\n\nLine two, café — 灯台 🗼\n"
        let file = try folder.write(name, text)
        let documents = try DocumentLoader.load(file)
        #expect(documents == [LoadedDocument(path: file.path, format: .text, text: text)])
    }

    @Test("source files are loaded as is, titled by their file name", arguments: ["beam.swift", "lamp.py", "rotate.js", "light.c", "main.rs", "build.sh", "q.sql", "conf.toml"])
    func code(name: String) throws {
        let folder = try TemporaryFolder()
        let text = "// rotation period\nlet period = 30 // seconds\n"
        let file = try folder.write(name, text)
        let document = try #require(try DocumentLoader.load(file).first)
        #expect(document.format == .code)
        #expect(document.text == text)
        #expect(document.title == name)
    }

    @Test("an unsupported extension is an error naming the file and the extension")
    func unsupported() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("photo.png", Data([0x89, 0x50, 0x4E, 0x47]))
        #expect(throws: LoaderError.unsupportedExtension(file: file.path, extension: "png")) { try DocumentLoader.load(file) }
        #expect("\(LoaderError.unsupportedExtension(file: file.path, extension: "png"))".contains("photo.png"))
    }

    @Test("a missing file is unreadable with the system's reason")
    func missing() throws {
        let folder = try TemporaryFolder()
        let file = folder.url.appendingPathComponent("gone.txt")
        #expect(throws: LoaderError.unreadable(file: file.path, reason: "No such file or directory")) { try DocumentLoader.load(file) }
    }
}
