// SourceText: a web page's readable text without its furniture, plain text tidied, a PDF's text
// through the real pdftotext; and the clear refusals when there is no text to be had.
import Foundation
import Testing

@testable import HeraldPlatforms

@Suite struct SourceTextHTMLTests {
    static let page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Why Small Teams Ship &amp; Win</title>
        <style>p { color: red } .x::after { content: "STYLE TEXT" }</style><script>var x = "<p>SCRIPT TEXT</p>";</script></head>
        <body>
        <header class="site"><a href="/">Example News</a> SITE HEADER</header>
        <nav><ul><li><a href="/">Home</a></li><li>NAV ABOUT</li></ul></nav>
        <main><article>
        <header><h1>Why small teams ship faster</h1><p class="byline">By Ada &mdash; 3&nbsp;min read</p></header>
        <!-- a <p>COMMENT</p> -->
        <p>Small teams   decide
           quickly. Fewer meetings mean more <em>shipping</em> &amp; less waiting.</p>
        <h2>Three habits</h2>
        <ul><li>Write things down</li><li>Ship small changes &lt;daily&gt;</li><li><p>Say &quot;no&quot; often &#8212; and mean it</p></li></ul>
        <p hidden>HIDDEN TEXT</p><div aria-hidden="true">ARIA HIDDEN</div>
        <svg viewBox="0 0 10 10"><title>SVG TITLE</title><text>SVG TEXT</text></svg>
        <noscript><p>NOSCRIPT TEXT</p></noscript>
        <p title="a > b">Caf&eacute; &euro;5 &copy; 2026 &#150; AT&T &unknown; 5 &lt 6</p>
        <footer><p>Filed under teams.</p></footer>
        </article>
        <aside>ASIDE TEXT</aside>
        <form action="/subscribe"><label>FORM LABEL</label><input name="email"><button>SUBSCRIBE</button></form>
        </main>
        <footer>SITE FOOTER</footer>
        <script src="/app.js"></script>
        </body></html>
        """

    @Test func theArticleWithoutItsFurniture() {
        let (title, text) = SourceText.fromHTML(Array(SourceTextHTMLTests.page.utf8), charset: "utf-8")
        #expect(title == "Why Small Teams Ship & Win")
        #expect(
            text.split(separator: "\n") == [
                "Why small teams ship faster",
                "By Ada \u{2014} 3 min read",
                "Small teams decide quickly. Fewer meetings mean more shipping & less waiting.",
                "Three habits",
                "- Write things down",
                "- Ship small changes <daily>",
                "- Say \"no\" often \u{2014} and mean it",
                "Caf\u{E9} \u{20AC}5 \u{A9} 2026 \u{2013} AT&T &unknown; 5 < 6",
                "Filed under teams.",
            ])
        #expect(!text.contains("TEXT") && !text.contains("SITE") && !text.contains("NAV") && !text.contains("FORM"))
    }

    @Test func theFirstHeadingIsTheTitleWhenThereIsNone() {
        let (title, text) = SourceText.fromHTML(Array("<body><h1>Launch <b>day</b></h1><p>We shipped.</p></body>".utf8), charset: nil)
        #expect(title == "Launch day")
        #expect(text == "Launch day\nWe shipped.")
    }

    @Test func entities() {
        let cases: [(String, String)] = [
            ("&amp;&lt;&gt;&quot;&apos;", "&<>\"'"), ("&#65;&#x42;&#X43;", "ABC"), ("&#150;&#x93;", "\u{2013}\u{201C}"),
            ("&#0;&#xD800;&#x110000;", "\u{FFFD}\u{FFFD}\u{FFFD}"), ("&amp x", "& x"), ("AT&T", "AT&T"), ("&nosuch;", "&nosuch;"),
            ("&eacute;&Agrave;&yuml;&szlig;", "\u{E9}\u{C0}\u{FF}\u{DF}"), ("a&nbsp;&nbsp;b", "a b"), ("&hellip;&rsquo;", "\u{2026}\u{2019}"),
        ]
        for (html, expected) in cases {
            #expect(SourceText.fromHTML(Array("<p>\(html)</p>".utf8), charset: nil).text == expected, "\(html)")
        }
    }

    @Test func charsets() {
        let latin1: [UInt8] = Array("<p>Cr".utf8) + [0xE8] + Array("me ".utf8) + [0x80, 0x93, 0x94] + Array("</p>".utf8)
        #expect(SourceText.fromHTML(latin1, charset: "iso-8859-1").text == "Cr\u{E8}me \u{20AC}\u{201C}\u{201D}")
        // Undeclared and not UTF-8: windows-1252, as browsers guess.
        #expect(SourceText.fromHTML(latin1, charset: nil).text == "Cr\u{E8}me \u{20AC}\u{201C}\u{201D}")
        let declared =
            Array("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><p>".utf8) + [0xE9] + Array("t\u{E9}".utf8)
        #expect(SourceText.fromHTML(declared, charset: nil).text == "\u{E9}t\u{C3}\u{A9}")
        #expect(SourceText.fromHTML([0xEF, 0xBB, 0xBF] + Array("<p>caf\u{E9}</p>".utf8), charset: "iso-8859-1").text == "caf\u{E9}")
    }

    @Test func tagsWithoutEndsAndStrayBrackets() {
        #expect(SourceText.fromHTML(Array("<p>one<p>two<br>three<li>four".utf8), charset: nil).text == "one\ntwo\nthree\n- four")
        #expect(SourceText.fromHTML(Array("<p>1 < 2 and 3 > 2</p><script>unterminated".utf8), charset: nil).text == "1 < 2 and 3 > 2")
        #expect(SourceText.fromHTML(Array("<nav><nav>in</nav>still nav</nav><p>out</p><svg/><p>after</p>".utf8), charset: nil).text == "out\nafter")
        #expect(SourceText.fromHTML(Array("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>".utf8), charset: nil).text == "a b\nc")
    }

    @Test func theTextIsCapped() {
        let paragraph = "<p>" + String(repeating: "word ", count: 100) + "</p>"
        let (_, text) = SourceText.fromHTML(Array(String(repeating: paragraph, count: 1000).utf8), charset: nil)
        #expect(text.count == SourceText.maxCharacters)
    }

    @Test func plainTextIsTidied() {
        let text = SourceText.fromPlain(Array("Release notes\n\n\nVersion 2.0   adds\tscheduling.\r\nVersion 2.1\n\n".utf8), charset: "utf-8")
        #expect(text == "Release notes\n\nVersion 2.0 adds scheduling.\nVersion 2.1")
    }
}

@Suite(
    .enabled(if: TestEnvironment.isAvailable || SourceText.executable("pdftotext") != nil, "needs pdftotext (poppler-utils; `make test` installs it)")
)
struct SourceTextPDFTests {
    @Test func aPDFsTextComesThroughPdftotext() throws {
        let text = try SourceText.fromPDF(AISupport.pdf(["Quarterly report", "Revenue grew 12 percent."]), timeoutSeconds: 10)
        #expect(text == "Quarterly report\nRevenue grew 12 percent.")
    }

    @Test func notAPDF() {
        #expect(throws: SourceTextError.notPDF) { try SourceText.fromPDF(Array("<html>hello</html>".utf8), timeoutSeconds: 10) }
        #expect(SourceTextError.notPDF.message == "This file is not a PDF.")
    }

    @Test func aPDFWithoutText() {
        #expect(throws: SourceTextError.noText) { try SourceText.fromPDF(AISupport.pdf([]), timeoutSeconds: 10) }
        #expect(SourceTextError.noText.message == "The PDF has no text (scanned images?).")
    }

    @Test func aDamagedPDF() {
        do {
            _ = try SourceText.fromPDF(Array("%PDF-1.4\nthis is not really a PDF\n".utf8), timeoutSeconds: 10)
            Issue.record("a damaged PDF gave text")
        } catch {
            switch error {
            case .unreadablePDF, .noText: break
            default: Issue.record("\(error)")
            }
        }
    }

    @Test func pdftotextIsStoppedAtTheTimeout() {
        #expect(throws: SourceTextError.timedOut(seconds: 0)) { try SourceText.fromPDF(AISupport.pdf(["slow"]), timeoutSeconds: 0.0001) }
    }

    @Test func aMissingPdftotextIsNamed() {
        #expect(SourceText.executable("no-such-tool-herald") == nil)
        #expect(SourceTextError.pdftotextMissing.message.contains("poppler-utils"))
    }
}

@Suite(.enabled(if: TestEnvironment.isAvailable, "needs the test stack of `make test` (the platform stand-in)"))
struct SourceTextStandInTests {
    @Test func theStandInsArticle() throws {
        let response = try AISupport.fetcher().get(AISupport.standIn + "/pages/article.html")
        let (title, text) = try SourceText.from(response)
        #expect(title == "Why Small Teams Ship & Win")
        #expect(text.hasPrefix("Why small teams ship faster\nBy Ada \u{2014} 3 min read\n"))
        #expect(text.contains("- Say \"no\" often \u{2014} and mean it \u{2713}"))
        for noise in ["SCRIPT", "SITE", "NAV", "HIDDEN", "SVG", "NOSCRIPT", "ASIDE", "FORM", "SUBSCRIBE", "BUY NOW", "not text"] {
            #expect(!text.contains(noise), "\(noise) is in the text")
        }
    }

    @Test func aLatin1Page() throws {
        let response = try AISupport.fetcher().get(AISupport.standIn + "/pages/latin1.html")
        #expect(response.charset == "iso-8859-1")
        let (title, text) = try SourceText.from(response)
        #expect(title == "Cr\u{E8}me br\u{FB}l\u{E9}e")
        #expect(text == "Cr\u{E8}me br\u{FB}l\u{E9}e \u{E0} la fran\u{E7}aise, co\u{FB}t 5 \u{A3}.")
    }

    @Test func plainTextAndPDFFromTheWeb() throws {
        let plain = try SourceText.from(try AISupport.fetcher().get(AISupport.standIn + "/pages/plain.txt"))
        #expect(plain.title == nil && plain.text == "Release notes\n\nVersion 2.0 adds scheduling.\nVersion 2.1 fixes time zones.")
        let pdf = try SourceText.from(try AISupport.fetcher().get(AISupport.standIn + "/pages/doc.pdf"))
        #expect(pdf.text == "Quarterly report\nRevenue grew 12 percent.")
    }

    @Test func anErrorPageIsNotASource() throws {
        let response = try AISupport.fetcher().get(AISupport.standIn + "/pages/no-such-page")
        #expect(throws: SourceTextError.status(404)) { try SourceText.from(response) }
    }
}
