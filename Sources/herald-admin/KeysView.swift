// The keys page's markup: one row per key id (from the keyring and from the data) with its status and
// the values it seals in each sealed column, and what to do about a key that seals values it cannot open.
import HeraldHTML
import HeraldSupport

enum KeysView {
    enum Keyring {
        case loaded(entries: [(id: Int, status: String)], primary: Int)
        /// The program cannot read the keyring file; why.
        case unavailable(String)
    }

    static func render(census: [(key: Int, column: String, values: Int)], columns: [String], keyring: Keyring, path: String) -> HTML {
        var statuses: [Int: String] = [:]
        if case .loaded(let entries, _) = keyring { for e in entries { statuses[e.id] = e.status } }
        let ids = Set(census.map(\.key)).union(statuses.keys).sorted()
        let rows = ids.map { id -> HTML in
            let cells = columns.map { column -> HTML in
                let n = census.first { $0.key == id && $0.column == column }?.values ?? 0
                return "<td class=\"num\">\(grouped(n))</td>"
            }
            let total = census.filter { $0.key == id }.reduce(0) { $0 + $1.values }
            return
                "<tr><td>\(id)</td><td>\(badge(statuses[id], known: statuses.isEmpty == false, total: total))</td>\(cells)<td class=\"num\"><strong>\(grouped(total))</strong></td></tr>"
        }
        let state: HTML
        switch keyring {
        case .loaded(let entries, let primary):
            state =
                "<p>Keyring <code>\(path)</code>: \(entries.count) keys; key <strong>\(primary)</strong> is primary (new values are sealed with it).</p>"
        case .unavailable(let why):
            state =
                "<p class=\"flash flash-info\" role=\"status\">This program cannot read the keyring (<code>\(path)</code>): \(why). The key ids below come from the data only.</p>"
        }
        let table: HTML =
            ids.isEmpty
            ? "<p class=\"empty\">No key and no sealed value yet.</p>"
            : """
            <div class="table-scroll" role="region" tabindex="0" aria-label="Keys"><table class="table"><thead><tr><th>Key</th><th>Status</th>\
            \(columns.map { c -> HTML in "<th class=\"num\"><code>\(c)</code></th>" })<th class="num">All values</th></tr></thead>\
            <tbody>\(rows)</tbody></table></div>
            """
        return """
            <h1>Keys</h1>
            <p class="lead">OAuth tokens and client secrets are sealed before they reach the database, each with one key of the keyring. \
            Rotate with <code>heraldctl keys add</code>, <code>promote</code>, <code>rotate</code>, then <code>retire</code> the old key \
            once it seals nothing (README: Keys and rotation).</p>
            \(state)
            <section class="card">\(table)</section>
            """
    }

    static func badge(_ status: String?, known: Bool, total: Int) -> HTML {
        switch status {
        case "primary"?: return "<span class=\"badge ok\">primary</span>"
        case "active"?: return "<span class=\"badge info\">active</span>"
        case "retired"?:
            return total > 0
                ? "<span class=\"badge danger\">retired</span> <span class=\"small\">these values cannot be opened</span>"
                : "<span class=\"badge muted\">retired</span>"
        default:
            return known
                ? "<span class=\"badge danger\">missing</span> <span class=\"small\">not in this keyring: these values cannot be opened</span>"
                : "<span class=\"badge muted\">unknown</span>"
        }
    }
}
