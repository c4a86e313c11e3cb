import Foundation
import Testing

// Charts: well-formed SVG with an accessible name, tables equal to the input, lines that follow the values.
@testable import HeraldHTML

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct ChartTests {
    // MARK: - Line chart

    @Test func lineChartIsWellFormedAndNamed() throws {
        let html = Charts.line(
            id: "eng", title: "Likes & <shares>", description: "Daily \"likes\" per channel", xLabels: ["Mon", "Tue"],
            series: [ChartSeries(name: "A", values: [1, 2])], valueLabel: "Likes")
        let figure = try parse(html)
        #expect(figure.name == "figure")
        let svg = try first(figure, "svg")
        #expect(attribute(svg, "role") == "img")
        #expect(attribute(svg, "aria-labelledby") == "eng-title eng-desc")
        let children = (svg.children ?? []).compactMap { $0 as? XMLElement }
        #expect(children.count > 2)
        #expect(children[0].name == "title" && attribute(children[0], "id") == "eng-title")
        #expect(children[0].stringValue == "Likes & <shares>")
        #expect(children[1].name == "desc" && attribute(children[1], "id") == "eng-desc")
        #expect(children[1].stringValue == "Daily \"likes\" per channel")
        #expect(elements(figure, "caption").first?.stringValue == "Likes & <shares>")
        #expect(!html.description.contains("style="), "the CSP forbids inline styles")
        #expect(!html.description.contains("<style"))
    }

    @Test(arguments: [1, 2, 3, 42, 2024, 77_777] as [UInt64])
    func randomDataRoundTripsThroughTableAndLines(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let days = Int.random(in: 1...120, using: &random)
        let magnitude = [Int64(10), 1000, 1_000_000, 10_000_000_000].randomElement(using: &random)!
        let negative = Bool.random(using: &random)
        let labels = (0..<days).map { "day \($0)" }
        let series = (0..<Int.random(in: 1...6, using: &random)).map { number in
            ChartSeries(
                name: "channel \(number)",
                values: (0..<days).map { _ -> Int64? in
                    Int.random(in: 0..<100, using: &random) < 15 ? nil : Int64.random(in: (negative ? -magnitude : 0)...magnitude, using: &random)
                })
        }
        let html = Charts.line(id: "r", title: "Random", description: "Seed \(seed)", xLabels: labels, series: series, valueLabel: "Score")
        let figure = try parse(html)
        try expectFiniteGeometry(figure)

        // The table: one row per day, the exact numbers, "–" for no data.
        let header = elements(try first(figure, "thead"), "th").map(\.stringValue)
        #expect(header == ["Day"] + series.map(\.name))
        let rows = elements(try first(figure, "tbody"), "tr")
        #expect(rows.count == days, "seed \(seed)")
        for (day, row) in rows.enumerated() {
            #expect(elements(row, "th").first?.stringValue == labels[day])
            let cells = elements(row, "td").map { $0.stringValue ?? "" }
            #expect(cells == series.map { $0.values[day].map { String($0) } ?? "–" }, "seed \(seed), day \(day)")
        }

        // The lines: one group per series, one polyline per run of values, y falling as the value rises.
        let svg = try first(figure, "svg")
        let groups = seriesGroups(svg)
        #expect(groups.count == series.count)
        var plotted: [(value: Int64, y: Double)] = []
        for (line, group) in zip(series, groups) {
            let runs = runs(line.values)
            let polylines = elements(group, "polyline")
            #expect(polylines.count == runs.count, "seed \(seed): \(line.name)")
            for (run, polyline) in zip(runs, polylines) {
                let points = try points(polyline)
                #expect(points.count == run.count, "seed \(seed): \(line.name)")
                #expect(zip(points, points.dropFirst()).allSatisfy { $0.x < $1.x }, "x grows with the day")
                plotted += zip(run, points).map { ($0, $1.y) }
            }
        }
        plotted.sort { $0.value < $1.value }
        for (lower, higher) in zip(plotted, plotted.dropFirst()) {
            #expect(higher.y <= lower.y, "seed \(seed): \(higher.value) is drawn below \(lower.value)")
        }
        let ticks = try tickValues(svg)
        let values = series.flatMap { $0.values.compactMap { $0 } }
        #expect((2...12).contains(ticks.count), "seed \(seed): \(ticks)")
        #expect(ticks.contains(0))
        #expect(ticks.first! <= Double(min(0, values.min() ?? 0)) && ticks.last! >= Double(values.max() ?? 0), "seed \(seed): \(ticks)")
    }

    @Test func nilBreaksTheLine() throws {
        let values: [Int64?] = [1, 2, nil, 4, 5, nil, nil, 8]
        let html = Charts.line(
            id: "gap", title: "Gaps", description: "With gaps", xLabels: (1...8).map { "\($0)" },
            series: [ChartSeries(name: "A", values: values)], valueLabel: "Posts")
        let svg = try first(try parse(html), "svg")
        let group = try #require(seriesGroups(svg).first)
        #expect(try elements(group, "polyline").map { try points($0).count } == [2, 2, 1])
        #expect(elements(group, "path").count == 1, "markers, so that the lone last point shows")
    }

    @Test func hostileNamesAreEscaped() throws {
        let hostile = "<script>&\"'"
        let html = Charts.line(
            id: "x", title: hostile, description: hostile, xLabels: [hostile, "b & c"],
            series: [ChartSeries(name: hostile, values: [1, 2]), ChartSeries(name: "ctrl\u{1}char", values: [nil, 3])], valueLabel: hostile)
        #expect(!html.description.contains("<script"))
        let figure = try parse(html)
        #expect(elements(figure, "script").isEmpty)
        #expect(elements(figure, "span").first?.stringValue == hostile, "the legend")
        #expect(elements(try first(figure, "thead"), "th").map(\.stringValue) == ["Day", hostile, "ctrl\u{FFFD}char"])
        #expect(elements(try first(figure, "tbody"), "th").first?.stringValue == hostile)
        #expect(elements(figure, "title").first?.stringValue == hostile)
    }

    /// Data that breaks naive scales: no values, no spread, one day, only negatives, the ends of Int64, no days, many days.
    private static let degenerate: [String: (days: Int, values: [[Int64?]])] = [
        "all nil": (30, [[nil, nil], [nil]]),
        "all zero": (30, [Array(repeating: 0, count: 30)]),
        "single point": (1, [[7], [nil]]),
        "single negative point": (1, [[-3]]),
        "negative": (10, [[-5, -300, nil, -1, 0, 2, -7, -7, -7, -2_000_000]]),
        "huge": (3, [[Int64.max, Int64.min, 0], [1, nil, Int64.max]]),
        "no days": (0, [[]]),
        "no series": (5, []),
        "long": (400, [(0..<400).map { Int64($0 * $0) }]),
    ]

    @Test(arguments: degenerate.keys.sorted())
    func degenerateDataRendersFiniteNumbers(_ name: String) throws {
        let (days, values) = try #require(Self.degenerate[name])
        let html = Charts.line(
            id: "d", title: "Degenerate", description: name, xLabels: (0..<days).map { "2024-01-\($0)" },
            series: values.enumerated().map { ChartSeries(name: "s\($0.offset)", values: $0.element) }, valueLabel: "Score")
        let text = html.description.lowercased()
        #expect(!text.contains("nan") && !text.contains("inf"), "\(name)")
        let figure = try parse(html)
        try expectFiniteGeometry(figure)
        let svg = try first(figure, "svg")
        let ticks = try tickValues(svg)
        #expect(ticks.count >= 2 && ticks.contains(0), "\(name): \(ticks)")
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0 < $1 }, "\(name): \(ticks)")
        #expect(elements(try first(figure, "tbody"), "tr").count == days)
        // Far more days than fit: labels thinned so that they do not overlap.
        let dayLabels = elements(svg, "text").filter {
            $0.parent.flatMap { ($0 as? XMLElement).flatMap { attribute($0, "text-anchor") } } == "middle"
        }
        #expect(dayLabels.count <= 14, "\(name): \(dayLabels.count) day labels")
    }

    @Test func axisAbbreviatesAndTableKeepsExactNumbers() throws {
        #expect(Charts.short(0) == "0")
        #expect(Charts.short(950) == "950")
        #expect(Charts.short(1200) == "1.2k")
        #expect(Charts.short(3_400_000) == "3.4M")
        #expect(Charts.short(-1500) == "\u{2212}1.5k")
        #expect(Charts.short(999_960) == "1M")
        #expect(Charts.short(5e18) == "5E")
        #expect(Charts.decimal(3.456, places: 2) == "3.46")
        #expect(Charts.decimal(-0.04, places: 1) == "0")
        #expect(Charts.decimal(2.5, places: 2) == "2.5")
        #expect(Charts.decimal(7, places: 2) == "7")
        #expect(Charts.decimal(.nan, places: 1) == "0")
        let html = Charts.line(
            id: "big", title: "Big", description: "Big numbers", xLabels: ["a", "b"],
            series: [ChartSeries(name: "views", values: [3_400_000, 1_234_567])], valueLabel: "Views")
        let figure = try parse(html)
        let ticks = elements(try first(figure, "svg"), "text").compactMap(\.stringValue)
        #expect(ticks.contains("2M") && ticks.contains("4M"), "\(ticks)")
        #expect(elements(figure, "td").map(\.stringValue) == ["3400000", "1234567"])
    }

    @Test func sameInputSameBytes() {
        let make = {
            Charts.line(
                id: "s", title: "T", description: "D", xLabels: (1...90).map { "\($0)" },
                series: (0..<6).map { n in ChartSeries(name: "s\(n)", values: (0..<90).map { $0 % 7 == n ? nil : Int64($0 * n) }) },
                valueLabel: "V")
        }
        #expect(make() == make())
    }

    // MARK: - Heat map

    @Test(arguments: [5, 6, 7] as [UInt64])
    func heatMapHasACellPerHourAndATableWithSamples(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun & <co>"]
        let hours = (0..<24).map { $0 < 10 ? "0\($0)" : "\($0)" }
        var values: [[Double?]] = []
        var samples: [[Int]] = []
        for _ in days {
            let posts = hours.map { _ in Int.random(in: 0..<100, using: &random) < 30 ? 0 : Int.random(in: 1...20, using: &random) }
            samples.append(posts)
            values.append(posts.map { $0 == 0 ? nil : Double.random(in: -2...500, using: &random) })
        }
        let html = Charts.heatMap(
            id: "best", title: "Best times", description: "Average engagement", rowLabels: days, columnLabels: hours, values: values,
            samples: samples)
        let figure = try parse(html)
        try expectFiniteGeometry(figure)
        let svg = try first(figure, "svg")
        #expect(attribute(svg, "aria-labelledby") == "best-title best-desc")
        let rects = elements(svg, "rect")
        #expect(rects.count == days.count * hours.count)
        var shaded: [(value: Double, opacity: Double)] = []
        for (index, rect) in rects.enumerated() {
            let (row, column) = index.quotientAndRemainder(dividingBy: hours.count)
            let title = try #require(elements(rect, "title").first?.stringValue)
            #expect(title.hasPrefix("\(days[row]) \(hours[column]):00 — "))
            if let value = values[row][column] {
                let posts = samples[row][column] == 1 ? "1 post" : "\(samples[row][column]) posts"
                #expect(title.hasSuffix(" average, \(posts)"), "\(title)")
                shaded.append((value, Double(attribute(rect, "fill-opacity") ?? "") ?? -1))
            } else {
                #expect(title.hasSuffix("no posts"))
            }
        }
        shaded.sort { $0.value < $1.value }
        #expect(zip(shaded, shaded.dropFirst()).allSatisfy { $0.opacity <= $1.opacity }, "darker is higher")
        #expect(shaded.first!.opacity < shaded.last!.opacity)

        let rows = elements(try first(figure, "tbody"), "tr")
        #expect(rows.count == days.count * hours.count)
        for (index, row) in rows.enumerated() {
            let (day, hour) = index.quotientAndRemainder(dividingBy: hours.count)
            let cells = (elements(row, "th") + elements(row, "td")).map { $0.stringValue ?? "" }
            #expect(cells[0] == days[day] && cells[1] == "\(hours[hour]):00")
            #expect(cells[3] == String(samples[day][hour]), "the sample size")
            if let value = values[day][hour] {
                #expect(abs((Double(cells[2]) ?? .infinity) - value) <= 0.005, "\(cells[2]) for \(value)")
            } else {
                #expect(cells[2] == "–")
            }
        }
        #expect(elements(figure, "li").count == 6, "no posts, and five shades")
    }

    @Test func heatMapWithoutDataOrWithOneValue() throws {
        for values in [
            [[nil, nil], [nil, nil]], [[0, nil], [0, 0]], [[-4, nil], [nil, 2.5e30]], [[.nan, .infinity], [1, 1]], [[-1.7e308, 1.7e308], [0, nil]],
        ] as [[[Double?]]] {
            let html = Charts.heatMap(
                id: "h", title: "Heat", description: "Sparse", rowLabels: ["Mon", "Tue"], columnLabels: ["00", "01"], values: values,
                samples: [[1, 0], [1]])
            let text = html.description.lowercased()
            #expect(!text.contains("nan") && !text.contains("inf"), "\(values)")
            let figure = try parse(html)
            try expectFiniteGeometry(figure)
            #expect(elements(try first(figure, "svg"), "rect").count == 4)
            #expect(elements(try first(figure, "tbody"), "tr").count == 4)
        }
    }

    // MARK: - Helpers

    /// The whole figure (SVG, legend and table) parsed as XML.
    private func parse(_ html: HTML) throws -> XMLElement {
        try #require(try XMLDocument(xmlString: html.description, options: []).rootElement())
    }

    /// An attribute's value (FoundationXML's attribute(forName:) misses them on elements in the SVG namespace).
    private func attribute(_ element: XMLElement, _ name: String) -> String? {
        element.attributes?.first { $0.name == name }?.stringValue
    }

    private func first(_ node: XMLNode, _ name: String) throws -> XMLElement {
        try #require(elements(node, name).first, "no <\(name)>")
    }

    private func elements(_ node: XMLNode, _ name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        for child in node.children ?? [] {
            guard let element = child as? XMLElement else { continue }
            if element.localName == name { found.append(element) }
            found += elements(element, name)
        }
        return found
    }

    private func seriesGroups(_ svg: XMLElement) -> [XMLElement] {
        elements(svg, "g").filter { attribute($0, "class")?.hasPrefix("chart-s") == true }
    }

    private func points(_ polyline: XMLElement) throws -> [(x: Double, y: Double)] {
        let text = try #require(attribute(polyline, "points"))
        return try text.split(separator: " ").map { pair in
            let numbers = pair.split(separator: ",").compactMap { Double($0) }
            try #require(numbers.count == 2)
            return (numbers[0], numbers[1])
        }
    }

    /// The runs of non-nil values, in order.
    private func runs(_ values: [Int64?]) -> [[Int64]] {
        var runs: [[Int64]] = []
        var current: [Int64] = []
        for value in values {
            if let value {
                current.append(value)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// The y-axis tick labels (right-aligned text) read back as numbers.
    private func tickValues(_ svg: XMLElement) throws -> [Double] {
        let group = try #require(elements(svg, "g").first { attribute($0, "text-anchor") == "end" })
        return try elements(group, "text").map { text in
            var label = (text.stringValue ?? "").replacingOccurrences(of: "\u{2212}", with: "-")
            var factor = 1.0
            for (suffix, unit) in [("k", 1e3), ("M", 1e6), ("B", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18)] where label.hasSuffix(suffix) {
                label.removeLast()
                factor = unit
            }
            return try #require(Double(label)) * factor
        }
    }

    /// Every coordinate and size in the output is a finite number.
    private func expectFiniteGeometry(_ figure: XMLElement) throws {
        let numeric: Set = ["x", "y", "x1", "x2", "y1", "y2", "width", "height", "points", "viewBox", "fill-opacity"]
        for element in allElements(figure) {
            for attribute in element.attributes ?? [] where numeric.contains(attribute.name ?? "") {
                for number in (attribute.stringValue ?? "").split(whereSeparator: { $0 == " " || $0 == "," }) {
                    #expect(Double(number)?.isFinite == true, "\(attribute.name ?? "")=\(attribute.stringValue ?? "")")
                }
            }
        }
    }

    private func allElements(_ node: XMLElement) -> [XMLElement] {
        (node.children ?? []).compactMap { $0 as? XMLElement }.flatMap { [$0] + allElements($0) }
    }
}
