import Testing

// Request parsing: urlencoded forms, query strings, cookies; malformed input is a 400, never a crash.
@testable import HeraldDatabase
@testable import HeraldFastCGI
@testable import HeraldWeb

@Suite struct FormParsingTests {
    @Test func decodesPairsPlusAndPercentEscapes() throws {
        let form = try FormData(urlEncoded: Array("name=Ann+Lee&email=ann%40example.com&empty=&flag".utf8))
        #expect(form["name"] == "Ann Lee")
        #expect(form["email"] == "ann@example.com")
        #expect(form["empty"] == "")
        #expect(form["flag"] == "")
        #expect(form["missing"] == nil)
    }

    @Test func keepsRepeatedNamesInOrder() throws {
        let form = try FormData(urlEncoded: Array("tag=a&tag=b&x=1&tag=c".utf8))
        #expect(form.all("tag") == ["a", "b", "c"])
        #expect(form["tag"] == "a")
    }

    @Test func decodesMultiByteUTF8() throws {
        let form = try FormData(urlEncoded: Array("q=%E2%9C%93%20caf%C3%A9".utf8))
        #expect(form["q"] == "✓ café")
    }

    @Test(arguments: ["a=%", "a=%4", "a=%zz", "a=%G0", "%=1"])
    func rejectsMalformedPercentEscapes(_ input: String) {
        #expect(throws: HTTPError.self) { try FormData(urlEncoded: Array(input.utf8)) }
    }

    @Test(arguments: ["a=%FF", "a=%C3%28", "a=%ED%A0%80"])
    func rejectsInvalidUTF8(_ input: String) {
        do {
            _ = try FormData(urlEncoded: Array(input.utf8))
            Issue.record("accepted invalid UTF-8 \(input)")
        } catch let error as HTTPError {
            #expect(error.status == 400)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func rejectsRawInvalidUTF8Bytes() {
        #expect(throws: HTTPError.self) { try FormData(urlEncoded: [0x61, 0x3d, 0xff, 0xfe]) }
    }

    @Test(arguments: ["a=%00", "a=x%01y", "a=%7F"])
    func rejectsControlCharacters(_ input: String) {
        #expect(throws: HTTPError.self) { try FormData(urlEncoded: Array(input.utf8)) }
    }

    @Test func allowsTabsAndNewlinesInText() throws {
        let form = try FormData(urlEncoded: Array("body=line1%0D%0Aline2%09end".utf8))
        #expect(form["body"] == "line1\r\nline2\tend")
    }

    @Test func emptyBodyIsAnEmptyForm() throws {
        #expect(try FormData(urlEncoded: []).pairs.isEmpty)
        #expect(try FormData(urlEncoded: Array("&&".utf8)).pairs.isEmpty)
    }
}

@Suite struct RequestTests {
    @Test func parsesCookiesFirstWins() {
        let cookies = Request.parseCookies("a=1; b=two ; a=3;junk; c=\"quoted\"; =x")
        #expect(cookies == ["a": "1", "b": "two", "c": "quoted"])
    }

    @Test func readsMethodPathQueryAndHeaders() throws {
        let request = try Request(
            params: [
                "REQUEST_METHOD": "POST", "DOCUMENT_URI": "/login", "QUERY_STRING": "next=%2Faccount",
                "HTTP_USER_AGENT": "tests", "HTTP_COOKIE": "x=y", "CONTENT_TYPE": "application/x-www-form-urlencoded",
            ], body: Array("email=a%40b.c".utf8))
        #expect(request.method == "POST")
        #expect(request.path == "/login")
        #expect(request.query["next"] == "/account")
        #expect(request.header("User-Agent") == "tests")
        #expect(request.cookies["x"] == "y")
        #expect(try request.form()["email"] == "a@b.c")
    }

    @Test func malformedQueryIsBadRequest() {
        #expect(throws: HTTPError.self) { try Request(params: ["QUERY_STRING": "q=%E0%A4"], body: []) }
    }

    @Test func otherBodyEncodingsAreRefused() throws {
        let request = try Request(params: ["REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json"], body: Array("{}".utf8))
        #expect(throws: HTTPError.self) { try request.form() }
    }
}

@Suite struct RouterTests {
    func router() -> Router<String> {
        var r = Router<String>()
        r.get("/", "home")
        r.get("/account", "account")
        r.post("/account", "account-save")
        r.get("/w/{slug}/posts/{id}", "post")
        return r
    }

    @Test func matchesLiteralsAndParameters() {
        guard case .found(let h, let params) = router().match(method: "GET", path: "/w/acme/posts/42") else {
            Issue.record("no match")
            return
        }
        #expect(h == "post")
        #expect(params == ["slug": "acme", "id": "42"])
    }

    @Test func distinguishesMethods() {
        guard case .found(let h, _) = router().match(method: "POST", path: "/account") else {
            Issue.record("no match")
            return
        }
        #expect(h == "account-save")
        guard case .methodNotAllowed = router().match(method: "DELETE", path: "/account") else {
            Issue.record("expected 405")
            return
        }
        guard case .found(let head, _) = router().match(method: "HEAD", path: "/account") else {
            Issue.record("HEAD")
            return
        }
        #expect(head == "account")
    }

    @Test func unknownPathsAreNotFound() {
        for path in ["/nope", "/w/acme/posts", "/w/acme/posts/1/extra", "/accounts"] {
            guard case .notFound = router().match(method: "GET", path: path) else {
                Issue.record("matched \(path)")
                continue
            }
        }
        guard case .found(let root, _) = router().match(method: "GET", path: "/") else {
            Issue.record("root")
            return
        }
        #expect(root == "home")
    }
}

@Suite struct MigrationFileTests {
    @Test func splitsUpAndDown() throws {
        let m = try Migration(
            fileName: "0007_things.sql", contents: "-- Things.\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n")
        #expect(m.version == 7)
        #expect(m.name == "things")
        #expect(m.up.contains("CREATE TABLE t"))
        #expect(!m.up.contains("DROP"))
        #expect(m.down.contains("DROP TABLE t"))
        #expect(m.checksum.count == 64)
    }

    @Test func checksumChangesWithContent() throws {
        let a = try Migration(fileName: "0001_a.sql", contents: "-- migrate:up\nSELECT 1;\n-- migrate:down\n")
        let b = try Migration(fileName: "0001_a.sql", contents: "-- migrate:up\nSELECT 2;\n-- migrate:down\n")
        #expect(a.checksum != b.checksum)
    }

    @Test(arguments: ["notes.sql", "abc_x.sql", "0000_zero.sql", "0001_x.txt"])
    func rejectsBadFileNames(_ name: String) {
        #expect(throws: MigrationError.self) { try Migration(fileName: name, contents: "-- migrate:up\nSELECT 1;\n-- migrate:down\n") }
    }

    @Test func rejectsFileWithoutSections() {
        #expect(throws: MigrationError.self) { try Migration(fileName: "0001_x.sql", contents: "SELECT 1;") }
    }

    @Test func loadsTheRepositoryMigrationsInOrder() throws {
        let directory = #filePath.components(separatedBy: "/Tests/")[0] + "/migrations"
        let migrations = try Migration.load(directory: directory)
        #expect(!migrations.isEmpty)
        #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
        #expect(migrations.first?.version == 1)
        for m in migrations { #expect(!m.down.trimmed.isEmpty, "migration \(m.version) has no down part") }
    }
}
