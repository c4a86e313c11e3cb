import Testing

// The HTML type escapes whatever text it is given; only literal markup passes through.
@testable import HeraldHTML
@testable import HeraldSupport

@Suite struct HTMLTests {
    @Test func escapesInterpolatedText() {
        let name = "<script>alert('x') & \"y\"</script>"
        let html: HTML = "<p title=\"\(name)\">\(name)</p>"
        #expect(
            html.description
                == "<p title=\"&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;\">&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</p>"
        )
    }

    @Test func nestsMarkupWithoutDoubleEscaping() {
        let inner: HTML = "<b>\("a<b")</b>"
        let outer: HTML = "<p>\(inner)</p>"
        #expect(outer.description == "<p><b>a&lt;b</b></p>")
    }

    @Test func escapingConstructorAndJoin() {
        let parts = ["<1>", "&2"].map { HTML(escaping: $0) }
        #expect(HTML.join(parts).description == "&lt;1&gt;&amp;2")
    }

    @Test func optionalTextAndNumbers() {
        let none: String? = nil
        let html: HTML = "[\(none)][\(42)][\(Optional("<"))]"
        #expect(html.description == "[][42][&lt;]")
    }

    @Test(arguments: [
        ("javascript:alert(1)", "#"), ("JaVaScRiPt:alert(1)", "#"), ("data:text/html,x", "#"), ("//evil.example", "#"),
        ("/account", "/account"), ("https://example.com/?a=1&b=2", "https://example.com/?a=1&amp;b=2"), ("?page=2", "?page=2"),
        // Browsers read "/\\" as "//"; a combining mark makes "//" one Character with the second slash.
        ("/\\evil.example", "#"), ("//\u{301}evil.example", "#"), ("/\u{301}/x", "/\u{301}/x"),
    ])
    func urlInterpolationAllowsOnlySafeSchemes(_ input: String, _ expected: String) {
        let html: HTML = "\(url: input)"
        #expect(html.description == expected)
    }

    @Test func urlEncodeEscapesReservedCharacters() {
        #expect(urlEncode("/w/a b?c=d&e") == "%2Fw%2Fa%20b%3Fc%3Dd%26e")
        #expect(urlEncode("café") == "caf%C3%A9")
    }

    @Test func formFieldWiresErrorsForScreenReaders() {
        let html = Form.field("email", label: "Email", value: "\"><x>", error: "Bad <email>").description
        #expect(html.contains("value=\"&quot;&gt;&lt;x&gt;\""))
        #expect(html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""))
        #expect(html.contains("<p class=\"error\" id=\"email-error\">Bad &lt;email&gt;</p>"))
    }

    @Test func prerenderedOptionsMarkTheSelectedOne() {
        let options = PrerenderedOptions(["UTC", "Europe/Berlin", "<odd>"])
        #expect(
            options.html(selected: "Europe/Berlin").description
                == "<option>UTC</option><option selected>Europe/Berlin</option><option>&lt;odd&gt;</option>")
        #expect(options.html(selected: "Nowhere").description.contains("selected") == false)
        #expect(
            Form.select("tz", label: "Zone", options: ["A", "B"], selected: "A").description.contains("<option selected>A</option><option>B</option>")
        )
    }

    @Test func logValuesAreQuotedWhenNeeded() {
        #expect(Log.quote("plain") == "plain")
        #expect(Log.quote("two words") == "\"two words\"")
        #expect(Log.quote("a\"b\nc") == "\"a\\\"b\\nc\"")
        #expect(Log.quote("") == "\"\"")
    }
}
