// The model behind AI drafts: any OpenAI-compatible chat-completions endpoint (OpenAI itself, or a
// local llama.cpp server, Ollama or vLLM), configured by the administrator, called with HTTPFetch.
// One call, one outcome: the answer with its token usage, worth another try later, or final.
import Foundation
import HeraldSupport

/// HERALD_AI_*: where the model is and how long it may take. The key is never printed.
public struct AIConfig: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// E.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`, without a trailing slash.
    public var baseURL: String
    /// Sent as `Authorization: Bearer …`; nil for a local server that wants none.
    public var apiKey: String?
    public var model: String
    public var timeoutSeconds: Int
    /// The largest answer body accepted.
    public var maxAnswerBytes: Int

    public init(baseURL: String, apiKey: String?, model: String, timeoutSeconds: Int = 60, maxAnswerBytes: Int = 200_000) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.model = model
        self.timeoutSeconds = timeoutSeconds
        self.maxAnswerBytes = maxAnswerBytes
    }

    /// `{base}/chat/completions`.
    public var chatCompletionsURL: String { baseURL + "/chat/completions" }

    public var description: String {
        "AIConfig(baseURL: \(baseURL), model: \(model), apiKey: \(apiKey == nil ? "none" : "set"), timeout: \(timeoutSeconds) s)"
    }
    public var debugDescription: String { description }

    /// The configuration, or nil when HERALD_AI_BASE_URL is unset (AI drafts off).
    public static func fromEnvironment() throws -> AIConfig? {
        let env = Environment()
        return try load { try env.optional($0) }
    }

    /// Reads every variable through `value` (the environment, or a dictionary in tests) and validates it.
    public static func load(_ value: (String) throws -> String?) throws -> AIConfig? {
        let key = try value("HERALD_AI_API_KEY")?.trimmed
        guard let base = try value("HERALD_AI_BASE_URL")?.trimmed, !base.isEmpty else {
            if key != nil {
                throw ConfigError(description: "HERALD_AI_API_KEY is set but HERALD_AI_BASE_URL is not: set both, or neither to leave AI drafts off")
            }
            return nil
        }
        guard OAuthConfig.isHTTPURL(base), !base.contains("?"), !base.contains("#") else {
            throw ConfigError(description: "HERALD_AI_BASE_URL=\(base) is not an http:// or https:// URL like https://api.openai.com/v1")
        }
        if let key, key.isEmpty || key.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) {
            throw ConfigError(description: "HERALD_AI_API_KEY is empty or contains spaces or control characters")
        }
        guard let model = try value("HERALD_AI_MODEL")?.trimmed, !model.isEmpty else {
            throw ConfigError(
                description: "HERALD_AI_MODEL is required with HERALD_AI_BASE_URL (e.g. gpt-4o-mini, or the model your local server runs)")
        }
        func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
            guard let text = try value(name)?.trimmed else { return fallback }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigError(description: "\(name)=\(text) is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        return AIConfig(
            baseURL: base, apiKey: key, model: model,
            timeoutSeconds: try int("HERALD_AI_TIMEOUT_SECONDS", default: 60, range: 1...600),
            maxAnswerBytes: try int("HERALD_AI_MAX_ANSWER_BYTES", default: 200_000, range: 1000...(16 << 20)))
    }
}

/// What one chat-completions call came to.
public enum ChatOutcome: Sendable, Equatable {
    /// `choices[0].message.content` and `usage`; `model` as the provider reports it (often a dated version).
    case answer(text: String, promptTokens: Int, completionTokens: Int, model: String, finishReason: String?)
    /// Rate-limited, overloaded, slow or unreachable: try again later (after `waitSeconds` when the provider said).
    case transient(reason: String, waitSeconds: Int?)
    /// The provider refused the request, or its answer is unusable: trying again will not help.
    case permanent(reason: String)
}

/// Calls `POST {base}/chat/completions` (non-streaming) and reads the answer.
public struct ChatClient: Sendable {
    public let config: AIConfig
    public let http: HTTPFetch

    public init(config: AIConfig, http: HTTPFetch) {
        self.config = config
        self.http = http
    }

    /// With an HTTPFetch that waits the configured timeout.
    public init(config: AIConfig) {
        self.init(config: config, http: HTTPFetch(timeoutSeconds: Double(config.timeoutSeconds)))
    }

    public func complete(messages: [(role: String, content: String)], maxTokens: Int, temperature: Double) -> ChatOutcome {
        let payload: [String: Any] = [
            "model": config.model,
            "messages": messages.map { ["role": $0.role, "content": $0.content] },
            "max_tokens": maxTokens,
            "temperature": temperature,
        ]
        guard let body = try? JSONSerialization.data(withJSONObject: payload) else {
            return .permanent(reason: "The request to the model could not be written as JSON.")
        }
        var headers = [("Content-Type", "application/json")]
        if let key = config.apiKey { headers.append(("Authorization", "Bearer " + key)) }
        let response: FetchResponse
        do {
            response = try http.send("POST", config.chatCompletionsURL, headers: headers, body: [UInt8](body))
        } catch {
            switch error {
            case .badURL: return .permanent(reason: "HERALD_AI_BASE_URL does not give a usable URL (\(config.baseURL)).")
            case .notSent, .unreachable: return .transient(reason: "The model did not answer: \(error.description).", waitSeconds: nil)
            }
        }
        return ChatClient.outcome(response, config: config)
    }

    /// The outcome of an answer (separate from the call, for the unit tests).
    static func outcome(_ response: FetchResponse, config: AIConfig, now: Date = Date()) -> ChatOutcome {
        if response.body.count > config.maxAnswerBytes {
            return .permanent(reason: "The model's answer is larger than \(ByteSize.text(config.maxAnswerBytes)).")
        }
        let status = response.status
        guard (200..<300).contains(status) else {
            let message = errorMessage(response)
            let said = message.map { ": \($0)" } ?? ""
            if status == 429 {
                // OpenAI answers 429 for a used-up quota too; waiting does not fix billing.
                if errorCode(response) == "insufficient_quota" {
                    return .permanent(reason: "The model provider's quota is used up (HTTP 429)\(said)")
                }
                return .transient(
                    reason: "The model provider is rate-limiting Herald (HTTP 429)\(said)",
                    waitSeconds: retryAfterSeconds(response.header("Retry-After"), now: now))
            }
            if status >= 500 || status == 408 || status == 409 {
                return .transient(
                    reason: "The model provider had a problem (HTTP \(status))\(said)",
                    waitSeconds: retryAfterSeconds(response.header("Retry-After"), now: now))
            }
            switch status {
            case 401, 403: return .permanent(reason: "The model provider refused Herald's key (HTTP \(status))\(said). Check HERALD_AI_API_KEY.")
            case 404:
                return .permanent(
                    reason: "The model provider has no such model or endpoint (HTTP 404)\(said). Check HERALD_AI_BASE_URL and HERALD_AI_MODEL.")
            default: return .permanent(reason: "The model provider refused the request (HTTP \(status))\(said)")
            }
        }
        guard let json = response.json else { return .permanent(reason: "The model's answer is not valid JSON.") }
        guard let choice = json.objects("choices").first else { return .permanent(reason: "The model's answer has no choices.") }
        let finishReason = choice.string("finish_reason")
        let message = choice.object("message")
        guard let text = message?.string("content"), !text.trimmed.isEmpty else {
            if let refusal = message?.string("refusal") { return .permanent(reason: "The model refused: \(refusal.prefix(300))") }
            if finishReason == "length" { return .permanent(reason: "The model's answer is empty: it ran out of tokens (finish_reason length).") }
            return .permanent(reason: "The model's answer has no text.")
        }
        let usage = json.object("usage")
        return .answer(
            text: text, promptTokens: usage?.int("prompt_tokens") ?? 0, completionTokens: usage?.int("completion_tokens") ?? 0,
            model: json.string("model") ?? config.model, finishReason: finishReason)
    }

    /// The provider's own words: OpenAI and llama.cpp `{"error": {"message"}}`, Ollama `{"error": "…"}`, vLLM `{"message"}`.
    static func errorMessage(_ response: FetchResponse) -> String? {
        guard let json = response.json else {
            let text = response.snippet.trimmed
            return text.isEmpty || text.hasPrefix("<") ? nil : String(text.prefix(200))
        }
        let text = json.object("error")?.string("message") ?? json.string("error") ?? json.string("message") ?? json.string("detail")
        return text.map { String($0.trimmed.prefix(300)) }
    }

    static func errorCode(_ response: FetchResponse) -> String? {
        guard let error = response.json?.object("error") else { return nil }
        return error.string("code") ?? error.string("type")
    }

    /// Retry-After as delay-seconds or an HTTP-date (RFC 9110 10.2.3); nil when absent or unreadable.
    static func retryAfterSeconds(_ header: String?, now: Date = Date()) -> Int? {
        guard let text = header?.trimmed, !text.isEmpty else { return nil }
        if let seconds = Int(text) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        // IMF-fixdate, then the two obsolete forms recipients must accept.
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return max(0, Int(date.timeIntervalSince(now).rounded(.up))) }
        }
        return nil
    }
}
