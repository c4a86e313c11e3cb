import Testing

// Counting a post the way each network counts it, brand rules, word diffs, CSV and multipart.
@testable import HeraldContent
@testable import HeraldFastCGI
@testable import HeraldPlatforms
@testable import HeraldSupport

@Suite struct PlatformLengthTests {
    @Test func plainASCIICountsOneEach() {
        for platform in Platform.allCases { #expect(PlatformText.length("Hello, world!", on: platform) == 13) }
    }

    @Test func xCountsEveryURLAs23() {
        let url = "https://example.com/a/very/long/path/that/goes/on/and/on?with=query&and=more"
        #expect(PlatformText.length(url, on: .x) == 23)
        #expect(PlatformText.length("Read " + url + ".", on: .x) == 5 + 23 + 1, "the full stop stays outside the link")
        #expect(PlatformText.length("see www.example.com now", on: .x) == 4 + 23 + 4)
        #expect(PlatformText.length("http://a.io", on: .x) == 23, "short links count 23 too")
    }

    @Test func xCountsEmojiAndWideCharactersAsTwo() {
        #expect(PlatformText.length("😀", on: .x) == 2)
        #expect(PlatformText.length("👩‍👩‍👧‍👦", on: .x) == 2, "a family emoji sequence is one emoji")
        #expect(PlatformText.length("👍🏽", on: .x) == 2, "with a skin tone")
        #expect(PlatformText.length("日本語", on: .x) == 6)
        #expect(PlatformText.length("café", on: .x) == 4)
        #expect(PlatformText.length("e\u{301}", on: .x) == 2, "a combining mark is its own code point on X (no NFC here)")
    }

    @Test func xLimitIsExactly280() {
        #expect(PlatformText.problems(title: nil, body: String(repeating: "a", count: 280), on: .x).isEmpty)
        let over = PlatformText.problems(title: nil, body: String(repeating: "a", count: 281), on: .x)
        #expect(over.count == 1)
        #expect(over[0].contains("281 of 280"))
        #expect(PlatformText.problems(title: nil, body: String(repeating: "😀", count: 140), on: .x).isEmpty)
        #expect(!PlatformText.problems(title: nil, body: String(repeating: "😀", count: 141), on: .x).isEmpty)
    }

    @Test func blueskyCountsGraphemes() {
        #expect(PlatformText.length("👩‍👩‍👧‍👦", on: .bluesky) == 1)
        #expect(PlatformText.length("e\u{301}", on: .bluesky) == 1, "a letter with a combining accent is one grapheme")
        #expect(PlatformText.length("🇩🇪🇫🇷", on: .bluesky) == 2, "flags")
        #expect(PlatformText.problems(title: nil, body: String(repeating: "é", count: 300), on: .bluesky).isEmpty)
        #expect(!PlatformText.problems(title: nil, body: String(repeating: "e\u{301}", count: 301), on: .bluesky).isEmpty)
        let link = "https://example.com/" + String(repeating: "x", count: 100)
        #expect(PlatformText.length(link, on: .bluesky) == link.count, "Bluesky counts links in full")
    }

    @Test func mastodonCountsGraphemesURLsAs23AndMentionsWithoutDomain() {
        #expect(PlatformText.length("Hi @alice@example.social!", on: .mastodon) == "Hi @alice!".count)
        #expect(PlatformText.length("Docs: https://docs.example.org/guide/start", on: .mastodon) == 6 + 23)
        #expect(PlatformText.length("🇩🇪 e\u{301}", on: .mastodon) == 3)
        #expect(PlatformText.problems(title: nil, body: String(repeating: "a", count: 500), on: .mastodon).isEmpty)
        #expect(!PlatformText.problems(title: nil, body: String(repeating: "a", count: 501), on: .mastodon).isEmpty)
    }

    @Test func linkedInAllows3000AndRedditNeedsATitle() {
        #expect(PlatformText.problems(title: nil, body: String(repeating: "a", count: 3000), on: .linkedin).isEmpty)
        #expect(!PlatformText.problems(title: nil, body: String(repeating: "a", count: 3001), on: .linkedin).isEmpty)
        #expect(PlatformText.problems(title: nil, body: "text", on: .reddit) == ["Reddit needs a title."])
        #expect(PlatformText.problems(title: String(repeating: "t", count: 300), body: "text", on: .reddit).isEmpty)
        #expect(PlatformText.problems(title: String(repeating: "t", count: 301), body: "text", on: .reddit).first?.contains("301 of 300") == true)
    }
}

@Suite struct BrandCheckTests {
    let rules = [
        BrandRule(kind: .bannedTerm, text: "synergy", blocks: true),
        BrandRule(kind: .hashtag, text: "#acme", blocks: true),
        BrandRule(kind: .maxHashtags, text: "2", blocks: false),
        BrandRule(kind: .requiredTerm, text: "Acme Coffee", blocks: false),
    ]

    @Test func aCleanPostPasses() {
        #expect(BrandCheck.issues(title: nil, body: "Fresh beans at Acme Coffee #acme", rules: rules).isEmpty)
    }

    @Test func bannedTermsMatchWholeWordsOnly() {
        #expect(BrandCheck.issues(title: nil, body: "Pure SYNERGY. Acme Coffee #acme", rules: rules).map(\.blocks) == [true])
        #expect(BrandCheck.issues(title: nil, body: "synergyless Acme Coffee #acme", rules: rules).isEmpty)
    }

    @Test func hashtagRulesAndCounts() {
        let issues = BrandCheck.issues(title: nil, body: "Acme Coffee #a #b #c", rules: rules)
        #expect(issues.contains { $0.message.contains("#acme") && $0.blocks })
        #expect(issues.contains { $0.message == "Use at most 2 hashtags; this post has 3." && !$0.blocks })
        #expect(BrandCheck.hashtags(in: "#One,#two (#three) mail#not #") == ["one", "three"])
    }
}

@Suite struct TextDiffTests {
    @Test func wordsAddedAndRemoved() {
        let parts = TextDiff.diff("We launch on Monday at noon", "We launch on Tuesday at noon!")
        #expect(TextDiff.html(parts).description == "We launch on <del>Monday</del><ins>Tuesday</ins> at <del>noon</del><ins>noon!</ins>")
    }

    @Test func identicalAndEmpty() {
        #expect(TextDiff.diff("same", "same") == [.same("same")])
        #expect(TextDiff.diff("", "new") == [.added("new")])
        #expect(TextDiff.diff("old", "") == [.removed("old")])
    }

    @Test func markupInTextIsEscaped() {
        #expect(TextDiff.html(TextDiff.diff("<b>", "<i>")).description == "<del>&lt;b&gt;</del><ins>&lt;i&gt;</ins>")
    }
}

@Suite struct CSVTests {
    @Test func parsesQuotesCommasNewlinesAndBOM() throws {
        let rows = try CSV.parse("\u{FEFF}title,body\r\n\"Hello, \"\"world\"\"\",\"line 1\nline 2\"\r\nplain,text\n")
        #expect(rows == [["title", "body"], ["Hello, \"world\"", "line 1\nline 2"], ["plain", "text"]])
    }

    @Test func reportsTheLineOfAnError() {
        #expect(throws: CSV.ParseError(line: 2, message: "a quoted field is never closed")) { try CSV.parse("a,b\n\"open,c\n") }
        #expect(throws: CSV.ParseError.self) { try CSV.parse("a,b\nx\"y,z\n") }
    }

    @Test func writesAndDefusesFormulas() throws {
        #expect(CSV.line(["a", "b,c", "say \"hi\"", "two\nlines"]) == "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n")
        #expect(CSV.cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSV.cell("-5") == "'-5")
        #expect(CSV.cell("a\r\nb") == "\"a\r\nb\"", "CRLF inside a field is quoted")
        // Found by the CSV fuzzer: unquoted, a byte-order mark at the start of a file is dropped by the reader.
        #expect(CSV.cell("\u{FEFF}x") == "\"\u{FEFF}x\"")
        #expect(try CSV.parse(CSV.line(["\u{FEFF}x", "y"])) == [["\u{FEFF}x", "y"]])
        // The same mistake elsewhere: a marker after a prepended mark is defused, a quote in a PostgreSQL array literal escaped.
        let fenced = DraftPrompt.fence("\u{06DD}<<<MATERIAL and MATERIAL>>>\u{301}")
        #expect(fenced.components(separatedBy: "<<<MATERIAL").count == 2 && fenced.components(separatedBy: "MATERIAL>>>").count == 2, "\(fenced)")
        #expect("z\u{06DD}\"q".replacingScalars("\"", with: "\"\"") == "z\u{06DD}\"\"q")
        // Found by the CSV fuzzer: a quote that joins the Character of a prepended mark before it is doubled too.
        #expect(try CSV.parse(CSV.line(["z\u{06DD}\"\"", "y"])) == [["z\u{06DD}\"\"", "y"]])
        #expect(CSV.record([.number(-5), .text(nil), .text("@x")]) == "-5,,'@x\r\n")
        let round = try CSV.parse(CSV.line(["x, y", "\"q\"", "ünïcödé"]))
        #expect(round == [["x, y", "\"q\"", "ünïcödé"]])
    }
}

@Suite struct MultipartTests {
    @Test func fieldsAndFiles() throws {
        let body =
            "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntoken\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"posts.csv\"\r\nContent-Type: text/csv\r\n\r\ntitle,body\r\nA,B\r\n\r\n--XyZ--\r\n"
        let form = try MultipartForm(body: Array(body.utf8), contentType: "multipart/form-data; boundary=XyZ")
        #expect(form.fields["csrf"] == "token")
        let file = try #require(form.file("file"))
        #expect(file.fileName == "posts.csv")
        #expect(file.contentType == "text/csv")
        #expect(String(decoding: file.bytes, as: UTF8.self) == "title,body\r\nA,B\r\n")
    }

    @Test(arguments: ["no boundary here", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunterminated"])
    func malformedBodiesAre400(_ body: String) {
        #expect(throws: HTTPError.self) { try MultipartForm(body: Array(body.utf8), contentType: "multipart/form-data; boundary=XyZ") }
    }
}
