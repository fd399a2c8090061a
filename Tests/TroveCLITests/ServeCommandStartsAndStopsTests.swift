import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TroveTestSupport

@Suite("trove serve as a process")
struct ServeCommandStartsAndStopsTests {
    @Test("a public address without a token is refused before anything listens (exit 2)")
    func publicAddressNeedsToken() throws {
        let folder = try TemporaryFolder("trove-serve-refuse")
        let run = try TroveBinary.run(["serve", "--index", folder.url.appendingPathComponent("i.sqlite").path,
                                       "--host", "0.0.0.0", "--port", "0"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("without --token"), "\(run.stderr)")
    }

    @Test("it answers on the port it prints; SIGTERM lets the request in flight finish, then it exits 0")
    func gracefulShutdown() throws {
        _ = try Fixtures.required(Fixtures.decoderFile)
        let folder = try TemporaryFolder("trove-serve-stop")
        let process = Process()
        _ = try Fixtures.required(TroveBinary.url)
        process.executableURL = TroveBinary.url
        process.arguments = ["serve", "--index", folder.url.appendingPathComponent("i.sqlite").path, "--port", "0"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        // The first line on stderr names the port.
        var log = "", port: Int?
        let deadline = Date().addingTimeInterval(60)
        while port == nil, Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
            if let range = log.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(log[range].split(separator: ":").last ?? "")
            }
        }
        let bound = try #require(port, "no port in: \(log)")

        // A generation long enough (about 1.5 s) to be in flight when SIGTERM arrives 0.3 s in.
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(bound)/v1/chat/completions")!)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"max_tokens": 400, "messages": [{"role": "user", "content": "Write a long essay about lighthouses."}]}"#.utf8)
        request.timeoutInterval = 120
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var status = 0
        nonisolated(unsafe) var body = Data()
        URLSession.shared.dataTask(with: request) { data, response, _ in
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
            body = data ?? Data()
            done.signal()
        }.resume()
        Thread.sleep(forTimeInterval: 0.3)
        kill(process.processIdentifier, SIGTERM)
        #expect(done.wait(timeout: .now() + 120) == .success)
        process.waitUntilExit()
        log += String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)

        #expect(status == 200, "\(String(decoding: body, as: UTF8.self))")
        let reply = try TroveBinary.object(String(decoding: body, as: UTF8.self))
        let usage = try #require(reply["usage"] as? [String: Any])
        #expect(usage["completion_tokens"] as? Int ?? 0 > 50, "the generation was cut short: \(usage)")
        #expect(process.terminationStatus == 0)
        #expect(log.contains("trove serve: stopped"), "\(log)")
    }
}
