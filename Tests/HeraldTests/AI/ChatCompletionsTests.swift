// ChatClient against the stand-in's OpenAI-compatible server: the answer with its usage, what was
// sent, and every way a provider fails (rate limit, server error, malformed JSON, a slow answer, a
// dropped connection, an oversized answer, a refused key); AIConfig's validation.
import Foundation
import Testing

@testable import HeraldPlatforms

@Suite struct AIConfigTests {
    static func load(_ values: [String: String]) throws -> AIConfig? { try AIConfig.load { values[$0] } }

    @Test func unsetMeansOff() throws {
        #expect(try AIConfigTests.load([:]) == nil)
        #expect(throws: (any Error).self) { try AIConfigTests.load(["HERALD_AI_API_KEY": "sk-x"]) }
    }

    @Test func defaultsAndTrailingSlash() throws {
        let config = try #require(try AIConfigTests.load(["HERALD_AI_BASE_URL": "http://127.0.0.1:11434/v1/", "HERALD_AI_MODEL": "llama3.2"]))
        #expect(config.baseURL == "http://127.0.0.1:11434/v1" && config.chatCompletionsURL == "http://127.0.0.1:11434/v1/chat/completions")
        #expect(config.apiKey == nil && config.model == "llama3.2" && config.timeoutSeconds == 60 && config.maxAnswerBytes == 200_000)
    }

    @Test func badValuesStopTheProgram() {
        let base = ["HERALD_AI_BASE_URL": "https://api.openai.com/v1", "HERALD_AI_MODEL": "gpt-4o-mini"]
        for (name, value) in [
            ("HERALD_AI_BASE_URL", "api.openai.com/v1"), ("HERALD_AI_MODEL", ""), ("HERALD_AI_TIMEOUT_SECONDS", "0"),
            ("HERALD_AI_TIMEOUT_SECONDS", "ten"), ("HERALD_AI_MAX_ANSWER_BYTES", "10"), ("HERALD_AI_API_KEY", "sk bad"),
        ] {
            #expect(throws: (any Error).self, "\(name)=\(value)") { try AIConfigTests.load(base.merging([name: value]) { $1 }) }
        }
        #expect(throws: (any Error).self) { try AIConfigTests.load(["HERALD_AI_BASE_URL": "https://api.openai.com/v1"]) }
    }

    @Test func theKeyIsNeverPrinted() throws {
        let config = try #require(
            try AIConfigTests.load(["HERALD_AI_BASE_URL": "https://api.openai.com/v1", "HERALD_AI_MODEL": "m", "HERALD_AI_API_KEY": "sk-secret-123"]))
        #expect(config.apiKey == "sk-secret-123")
        for text in ["\(config)", String(describing: config), String(reflecting: config)] {
            #expect(!text.contains("sk-secret-123"), "\(text)")
        }
        do {
            _ = try AIConfigTests.load([
                "HERALD_AI_BASE_URL": "https://api.openai.com/v1", "HERALD_AI_MODEL": "m", "HERALD_AI_API_KEY": "sk-secret 123",
            ])
        } catch {
            #expect(!"\(error)".contains("sk-secret"))
        }
    }

    @Test func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(ChatClient.retryAfterSeconds("7", now: now) == 7)
        #expect(ChatClient.retryAfterSeconds(" 120 ", now: now) == 120)
        #expect(ChatClient.retryAfterSeconds("-3", now: now) == 0)
        // 1_700_000_030 is Tue, 14 Nov 2023 22:13:50 GMT.
        #expect(ChatClient.retryAfterSeconds("Tue, 14 Nov 2023 22:13:50 GMT", now: now) == 30)
        #expect(ChatClient.retryAfterSeconds("Mon, 13 Nov 2023 00:00:00 GMT", now: now) == 0)
        #expect(ChatClient.retryAfterSeconds("soon", now: now) == nil)
        #expect(ChatClient.retryAfterSeconds(nil, now: now) == nil)
    }

    /// Nothing listens: a transient failure, never a crash or a permanent one.
    @Test func noServerIsTransient() {
        let client = ChatClient(config: AIConfig(baseURL: "http://127.0.0.1:1/v1", apiKey: nil, model: "m", timeoutSeconds: 5))
        guard case .transient(_, nil) = client.complete(messages: [("user", "hi")], maxTokens: 10, temperature: 0) else {
            Issue.record("not transient")
            return
        }
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test` (the platform stand-in)"))
struct ChatCompletionsTests {
    static let messages: [(role: String, content: String)] = [
        ("system", "You write short social posts."), ("user", "Announce our new scheduling feature today"),
    ]

    static func complete(_ config: AIConfig, maxTokens: Int = 200, temperature: Double = 0.7) -> ChatOutcome {
        ChatClient(config: config).complete(messages: messages, maxTokens: maxTokens, temperature: temperature)
    }

    static func faults(_ model: String, _ faults: [String], delay: Int = 4) throws {
        try AdapterSupport.post("/_control/openai/faults", ["faults": faults, "delay": delay, "model": model])
    }

    @Test func anAnswerWithItsUsage() throws {
        let model = AISupport.uniqueModel("answer")
        let outcome = ChatCompletionsTests.complete(AISupport.config(model: model))
        // The stand-in drafts from the last user message; tokens are words (5 + 6 in, 7 out).
        #expect(
            outcome
                == .answer(
                    text: "Draft: Announce our new scheduling feature today", promptTokens: 11, completionTokens: 7, model: model,
                    finishReason: "stop"))
        let sent = try #require(try AISupport.requests(model: model).first)
        #expect(sent["authorization"] as? String == "Bearer sk-test-herald")
        #expect(sent["content_type"] as? String == "application/json")
        #expect(sent["max_tokens"] as? Int == 200)
        #expect(sent["temperature"] as? Double == 0.7)
        let messages = try #require(sent["messages"] as? [[String: String]])
        #expect(
            messages == [
                ["role": "system", "content": "You write short social posts."],
                ["role": "user", "content": "Announce our new scheduling feature today"],
            ])
    }

    @Test func theTokenLimitCutsTheAnswer() {
        let model = AISupport.uniqueModel("length")
        #expect(
            ChatCompletionsTests.complete(AISupport.config(model: model), maxTokens: 3)
                == .answer(text: "Draft: Announce our", promptTokens: 11, completionTokens: 3, model: model, finishReason: "length"))
    }

    @Test func withoutAKeyNoAuthorizationIsSent() throws {
        let model = AISupport.uniqueModel("nokey")
        guard case .answer = ChatCompletionsTests.complete(AISupport.config(model: model, key: nil)) else {
            Issue.record("no answer without a key")
            return
        }
        let sent = try #require(try AISupport.requests(model: model).first)
        #expect(sent["authorization"] is NSNull)
    }

    /// What the model says comes back exactly, markup and all: escaping is the page's job.
    @Test func aQueuedAnswerComesBackVerbatim() throws {
        let model = AISupport.uniqueModel("exact")
        try AdapterSupport.post("/_control/openai/answers", ["answers": ["<script>alert(1)</script>"], "model": model])
        guard case .answer(let text, _, let completion, _, _) = ChatCompletionsTests.complete(AISupport.config(model: model)) else {
            Issue.record("no answer")
            return
        }
        #expect(text == "<script>alert(1)</script>" && completion == 1)
    }

    @Test func aRateLimitIsTransientWithItsWait() throws {
        let model = AISupport.uniqueModel("429")
        try ChatCompletionsTests.faults(model, ["429"])
        guard case .transient(let reason, let wait) = ChatCompletionsTests.complete(AISupport.config(model: model)) else {
            Issue.record("429 is not transient")
            return
        }
        #expect(wait == 7)
        #expect(reason.contains("HTTP 429") && reason.contains("Rate limit reached"))
    }

    @Test func aUsedUpQuotaIsPermanent() throws {
        let model = AISupport.uniqueModel("quota")
        try ChatCompletionsTests.faults(model, ["quota"])
        guard case .permanent(let reason) = ChatCompletionsTests.complete(AISupport.config(model: model)) else {
            Issue.record("insufficient_quota is not permanent")
            return
        }
        #expect(reason.contains("quota"))
    }

    @Test(arguments: ["500", "503", "drop"])
    func serverTroubleIsTransient(fault: String) throws {
        let model = AISupport.uniqueModel(fault)
        try ChatCompletionsTests.faults(model, [fault])
        guard case .transient(_, nil) = ChatCompletionsTests.complete(AISupport.config(model: model, timeout: 2)) else {
            Issue.record("\(fault) is not transient")
            return
        }
    }

    @Test func aSlowAnswerTimesOutAsTransient() throws {
        let model = AISupport.uniqueModel("slow")
        try ChatCompletionsTests.faults(model, ["slow"], delay: 4)
        let started = Date()
        guard case .transient = ChatCompletionsTests.complete(AISupport.config(model: model, timeout: 1)) else {
            Issue.record("a slow answer is not transient")
            return
        }
        #expect(Date().timeIntervalSince(started) < 3.5)
    }

    @Test func malformedJSONIsPermanent() throws {
        let model = AISupport.uniqueModel("invalid")
        try ChatCompletionsTests.faults(model, ["invalid"])
        #expect(ChatCompletionsTests.complete(AISupport.config(model: model)) == .permanent(reason: "The model's answer is not valid JSON."))
    }

    @Test func anOversizedAnswerIsRefusedCleanly() throws {
        let model = AISupport.uniqueModel("big")
        try AdapterSupport.post("/_control/openai/answers", ["answers": [["text": "word ", "repeat": 250_000]], "model": model])
        #expect(ChatCompletionsTests.complete(AISupport.config(model: model)) == .permanent(reason: "The model's answer is larger than 200 KB."))
    }

    @Test func aRefusedKeyIsPermanentAndNotRepeated() {
        let key = "sk-invalid-0123456789abcdef"
        guard case .permanent(let reason) = ChatCompletionsTests.complete(AISupport.config(model: AISupport.uniqueModel("401"), key: key)) else {
            Issue.record("401 is not permanent")
            return
        }
        #expect(reason.contains("HTTP 401") && reason.contains("Incorrect API key provided") && reason.contains("HERALD_AI_API_KEY"))
        #expect(!reason.contains(key))
    }

    @Test func anUnknownModelIsPermanent() {
        guard case .permanent(let reason) = ChatCompletionsTests.complete(AISupport.config(model: "missing-model")) else {
            Issue.record("404 is not permanent")
            return
        }
        #expect(reason.contains("HTTP 404") && reason.contains("does not exist") && reason.contains("HERALD_AI_MODEL"))
    }

    @Test func aBadRequestIsPermanentWithTheProvidersWords() {
        let outcome = ChatClient(config: AISupport.config(model: AISupport.uniqueModel("400"))).complete(
            messages: ChatCompletionsTests.messages, maxTokens: 10, temperature: 5)
        guard case .permanent(let reason) = outcome else {
            Issue.record("400 is not permanent: \(outcome)")
            return
        }
        #expect(reason.contains("HTTP 400") && reason.contains("temperature"))
    }
}
