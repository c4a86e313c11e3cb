// SIGTERM stops a program gracefully: it accepts nothing new, finishes requests in flight, exits 0.
import Foundation
import Testing

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test`"), .serialized)
struct ShutdownTests {
    /// Starts a private herald-auth on its own socket directory.
    func startProgram(_ directory: String) throws -> (Process, Pipe) {
        let errors = Pipe()
        return (try startPrivateAuth(directory, environment: ["HERALD_THREADS": "4"], errors: errors), errors)
    }

    @Test func inFlightRequestFinishesAfterSIGTERM() throws {
        let directory = TestEnvironment.temporaryDirectory + "/shutdown-\(UUID().uuidString.prefix(6))"
        let (process, errors) = try startProgram(directory)
        let socket = directory + "/auth.sock"
        #expect(FileManager.default.fileExists(atPath: socket))

        // A POST whose body is only half sent: the program has accepted it and waits for the rest.
        let client = try FastCGIClient(socketPath: socket)
        let body = try client.beginLogin(email: "nobody@example.com", remoteAddress: "192.0.2.44")
        try client.sendBody(Array(body.prefix(10)), last: false)
        usleep(300_000)
        kill(process.processIdentifier, SIGTERM)
        usleep(300_000)
        // New connections are refused while the old request is still being served.
        #expect(throws: (any Error).self) { _ = try FastCGIClient(socketPath: socket) }
        #expect(process.isRunning, "waits for the request in flight")

        try client.sendBody(Array(body.dropFirst(10)), last: true)
        let response = try client.readResponse()
        #expect(response.hasPrefix("Status: 401"), "the in-flight request got its full answer: \(response.prefix(80))")
        #expect(response.contains("The email or password is incorrect."))

        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("msg=stopped in_flight=0"))
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file is removed")
    }

    @Test func refusesToStartOnASocketAnotherProcessServes() throws {
        let directory = TestEnvironment.temporaryDirectory + "/twice-\(UUID().uuidString.prefix(6))"
        let (first, _) = try startProgram(directory)
        defer {
            first.terminate()
            first.waitUntilExit()
        }
        let (second, errors) = try startProgram(directory)
        second.waitUntilExit()
        #expect(second.terminationStatus == 1)
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("another process is already serving"))
        #expect(first.isRunning)
    }
}
