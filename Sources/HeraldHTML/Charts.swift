// Charts as server-rendered SVG: a line chart over days and a weekday × hour heat map, each with a
// legend and a table of the same numbers. The CSP forbids inline styles, so colours are SVG
// presentation attributes; public/style.css ("Charts") sizes the figure and overrides them in dark mode.

/// One line of a line chart.
public struct ChartSeries: Sendable {
    /// The legend entry and the table's column header.
    public let name: String
    /// One value per x label; `nil` is no data (a gap in the line, "–" in the table).
    public let values: [Int64?]

    public init(name: String, values: [Int64?]) {
        self.name = name
        self.values = values
    }
}

/// Inline SVG charts. Output depends only on the input (no locale, no randomness) and is well-formed XML.
public enum Charts {
    /// A line chart (one line per series) over categorical x labels (days), followed by a table with the same numbers.
    /// `id` makes element ids unique on a page (title/desc ids for aria-labelledby).
    public static func line(id: String, title: String, description: String, xLabels: [String], series: [ChartSeries], valueLabel: String) -> HTML {
        let labels = xLabels.map(clean)
        let names = series.map { clean($0.name) }
        let count = labels.count
        let rows = series.map { line in (0..<count).map { $0 < line.values.count ? line.values[$0] : nil } }
        var low = 0.0
        var high = 0.0
        for row in rows {
            for case let value? in row {
                low = min(low, Double(value))
                high = max(high, Double(value))
            }
        }
        let scale = Scale(low: low, high: high)
        let ticks = scale.ticks.map { ($0, short($0)) }

        // Layout in viewBox units: room on the left for the tick labels, and on both sides for half an x label.
        let xLabelWidth = min(200, textWidth(labels.map(\.count).max() ?? 0))
        let left = max(36, textWidth(ticks.map(\.1.count).max() ?? 0) + 10, xLabelWidth / 2 + 4)
        let plot = Plot(scale: scale, count: count, left: left, width: width - left - max(12, xLabelWidth / 2 + 4), top: 24, height: 200)
        let bottom = plot.top + plot.height

        var svg = open(id: id, title: title, description: description, height: bottom + 30)
        svg.append("<text x=\"2\" y=\"12\" fill=\"currentColor\">\(clean(valueLabel))</text>")
        svg.append("<g stroke=\"currentColor\" stroke-width=\"1\">")
        let (right, axisLeft) = (coord(plot.left + plot.width), coord(plot.left))
        for (tick, _) in ticks {
            let (y, opacity) = (coord(plot.y(tick)), tick == 0 && scale.low < 0 ? "0.6" : "0.15")
            svg.append("<line x1=\"\(axisLeft)\" x2=\"\(right)\" y1=\"\(y)\" y2=\"\(y)\" stroke-opacity=\"\(opacity)\"/>")
        }
        svg.append("<path d=\"M\(axisLeft),\(coord(plot.top))V\(coord(bottom))H\(right)\" fill=\"none\" stroke-opacity=\"0.6\"/></g>")
        svg.append("<g fill=\"currentColor\" text-anchor=\"end\">")
        for (tick, label) in ticks {
            svg.append("<text x=\"\(coord(plot.left - 6))\" y=\"\(coord(plot.y(tick)))\" dy=\"0.32em\">\(label)</text>")
        }
        svg.append("</g><g fill=\"currentColor\" text-anchor=\"middle\">")
        // Label every nth day, counted back from the newest, so labels never overlap (a week apart once they are sparse).
        let spacing = count > 1 ? plot.width / Double(count - 1) : plot.width
        let needed = Int(((xLabelWidth + 10) / spacing).rounded(.up))
        let every = needed <= 5 ? max(1, needed) : (needed + 6) / 7 * 7
        for index in stride(from: count - 1, through: 0, by: -every) {
            let x = coord(plot.x(index))
            svg.append(
                """
                <path d="M\(x),\(coord(bottom))v4" stroke="currentColor" stroke-opacity="0.6"/>\
                <text x="\(x)" y="\(coord(bottom + 17))">\(labels[index])</text>
                """)
        }
        svg.append("</g>")
        for (number, row) in rows.enumerated() { svg.append(line(row, look: SeriesLook(number), plot: plot)) }
        svg.append("</svg></div>")

        var legend: HTML = "<ul class=\"chart-legend\">"
        for (number, name) in names.enumerated() {
            let look = SeriesLook(number)
            legend.append(
                """
                <li><svg xmlns="http://www.w3.org/2000/svg" width="32" height="12" viewBox="0 0 32 12" aria-hidden="true">\
                <g class="chart-s\(look.colour + 1)" color="\(lightColours[look.colour])"><path d="M1,6H31" stroke="currentColor" \
                stroke-width="2"\(look.dash)/><path d="\(marker(look.marker, 16, 6))" fill="currentColor"/></g></svg><span>\(name)</span></li>
                """)
        }
        legend.append("</ul>")

        var table: HTML = "<thead><tr><th scope=\"col\">Day</th>"
        for name in names { table.append("<th scope=\"col\" class=\"num\">\(name)</th>") }
        table.append("</tr></thead><tbody>")
        for (index, label) in labels.enumerated() {
            table.append("<tr><th scope=\"row\">\(label)</th>")
            for row in rows { table.append("<td class=\"num\">\(row[index].map { String($0) } ?? "–")</td>") }
            table.append("</tr>")
        }
        table.append("</tbody>")
        return figure(svg: svg, legend: names.isEmpty ? HTML() : legend, title: title, table: table)
    }

    /// A weekday × hour heat map: rows (e.g. 7 weekday names) × columns (e.g. "00".."23"); values[row][col] (nil = no posts),
    /// samples[row][col] = how many posts the cell averages; darker = higher. Followed by a table with value and sample per cell.
    /// A column label of one or two digits reads as an hour ("14:00") in tooltips and the table.
    public static func heatMap(
        id: String, title: String, description: String, rowLabels: [String], columnLabels: [String], values: [[Double?]], samples: [[Int]]
    ) -> HTML {
        let rowNames = rowLabels.map(clean)
        let columnNames = columnLabels.map(clean)
        func value(_ row: Int, _ column: Int) -> Double? {
            guard row < values.count, column < values[row].count, let value = values[row][column], value.isFinite else { return nil }
            return value
        }
        func sample(_ row: Int, _ column: Int) -> Int { row < samples.count && column < samples[row].count ? samples[row][column] : 0 }
        let columnTimes = columnNames.map { hour in
            let isHour = (1...2).contains(hour.utf8.count) && hour.utf8.allSatisfy { (48...57).contains($0) }
            return isHour ? String(repeating: "0", count: 2 - hour.utf8.count) + hour + ":00" : hour
        }
        var low = 0.0
        var high = 0.0
        var hasData = false
        for row in rowNames.indices {
            for column in columnNames.indices {
                guard let value = value(row, column) else { continue }
                low = min(low, value)
                high = hasData ? max(high, value) : value
                hasData = true
            }
        }
        high = max(high, low)
        // Five shades of one colour from the lower bound (0, or the lowest negative value) to the highest value.
        func bucket(_ value: Double) -> Int {
            let share = (value - low) / (high - low)
            return share.isFinite ? min(4, max(0, Int(share * 5))) : 0
        }

        let left = max(24, min(200, textWidth(rowNames.map(\.count).max() ?? 0)) + 12)
        let cellHeight = 24.0
        let plotWidth = width - left - 8
        let cellWidth = plotWidth / Double(max(1, columnNames.count))
        let top = 6.0
        let bottom = top + cellHeight * Double(rowNames.count)

        var svg = open(id: id, title: title, description: description, height: bottom + 22)
        svg.append("<g fill=\"currentColor\" text-anchor=\"end\">")
        for (row, name) in rowNames.enumerated() {
            svg.append("<text x=\"\(coord(left - 6))\" y=\"\(coord(top + cellHeight * (Double(row) + 0.5)))\" dy=\"0.32em\">\(name)</text>")
        }
        svg.append("</g><g fill=\"currentColor\" text-anchor=\"middle\">")
        let every = max(1, Int(((min(200, textWidth(columnNames.map(\.count).max() ?? 0)) + 6) / cellWidth).rounded(.up)))
        for column in stride(from: 0, to: columnNames.count, by: every) {
            svg.append("<text x=\"\(coord(left + cellWidth * (Double(column) + 0.5)))\" y=\"\(coord(bottom + 15))\">\(columnNames[column])</text>")
        }
        svg.append("</g><g class=\"chart-heat\" color=\"\(heatColour)\" fill=\"currentColor\">")
        for row in rowNames.indices {
            for column in columnNames.indices {
                let box: HTML = """
                    x="\(coord(left + cellWidth * Double(column) + 1))" y="\(coord(top + cellHeight * Double(row) + 1))" \
                    width="\(coord(max(1, cellWidth - 2)))" height="\(coord(cellHeight - 2))" rx="2"
                    """
                let name = rowNames[row] + " " + columnTimes[column]
                if let value = value(row, column) {
                    let tip = name + " — " + decimal(value, places: 1) + " average, " + posts(sample(row, column))
                    svg.append("<rect \(box) fill-opacity=\"\(shades[bucket(value)])\"><title>\(tip)</title></rect>")
                } else {
                    svg.append(
                        """
                        <rect \(box) fill-opacity="0" stroke="currentColor" stroke-opacity="0.4" stroke-dasharray="2 2">\
                        <title>\(name) — no posts</title></rect>
                        """)
                }
            }
        }
        svg.append("</g></svg></div>")

        var legend: HTML = "<ul class=\"chart-legend\">"
        legend.append(swatch(" fill-opacity=\"0\" stroke=\"currentColor\" stroke-opacity=\"0.6\" stroke-dasharray=\"2 2\"", "No posts"))
        if hasData {
            if high > low {
                let step = (high - low) / 5
                for shade in 0..<5 {
                    let label = short(low + step * Double(shade)) + " to " + short(low + step * Double(shade + 1))
                    legend.append(swatch(" fill-opacity=\"\(shades[shade])\"", label))
                }
            } else {
                legend.append(swatch(" fill-opacity=\"\(shades[0])\"", short(low)))
            }
        }
        legend.append("</ul>")

        var table: HTML = "<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Hour</th>"
        table.append("<th scope=\"col\" class=\"num\">Average</th><th scope=\"col\" class=\"num\">Posts</th></tr></thead><tbody>")
        for row in rowNames.indices {
            for column in columnNames.indices {
                let average = value(row, column).map { decimal($0, places: 2) } ?? "–"
                table.append(
                    """
                    <tr><th scope="row">\(rowNames[row])</th><td>\(columnTimes[column])</td>\
                    <td class="num">\(average)</td><td class="num">\(sample(row, column))</td></tr>
                    """)
            }
        }
        table.append("</tbody>")
        return figure(svg: svg, legend: legend, title: title, table: table)
    }

    // MARK: - Pieces

    /// The viewBox width; the height follows the content. CSS scales the SVG to the column.
    private static let width = 720.0
    /// Series colours for a light page (at least 4.5:1 on white); style.css has the dark-mode ones.
    private static let lightColours = ["#2a5bb8", "#c2410c", "#17794a", "#7c3aed", "#a16207", "#be185d"]
    private static let dashes = ["", "8 4", "2 3", "10 3 2 3", "14 4", "5 2 1 2"]
    private static let heatColour = "#4f46e5"
    private static let shades = ["0.15", "0.35", "0.55", "0.78", "1"]

    /// How the nth series looks: a colour, and a dash pattern and marker shape so that it reads without colour too.
    /// Past six series the colours repeat with another pattern.
    private struct SeriesLook {
        let colour: Int
        let marker: Int
        let dash: HTML

        init(_ number: Int) {
            colour = number % 6
            marker = (number + number / 6) % 6
            dash = marker == 0 ? HTML() : " stroke-dasharray=\"\(Charts.dashes[marker])\""
        }
    }

    /// Where a line chart's points go: day `index` left to right, higher values further up.
    private struct Plot {
        let scale: Scale
        let count: Int
        let left: Double
        let width: Double
        let top: Double
        let height: Double

        func x(_ index: Int) -> Double { count > 1 ? left + width * Double(index) / Double(count - 1) : left + width / 2 }
        func y(_ value: Double) -> Double { top + (scale.high - value) / (scale.high - scale.low) * height }
    }

    /// One series: a polyline per run of values (nil breaks the line), and markers on every point while they fit,
    /// else on lone points (a polyline of one point draws nothing).
    private static func line(_ values: [Int64?], look: SeriesLook, plot: Plot) -> HTML {
        var out: HTML = """
            <g class="chart-s\(look.colour + 1)" color="\(lightColours[look.colour])" fill="none" stroke="currentColor" \
            stroke-width="2" stroke-linejoin="round"\(look.dash)>
            """
        var markers = ""
        var index = 0
        while index < values.count {
            guard values[index] != nil else {
                index += 1
                continue
            }
            var points = ""
            let start = index
            while index < values.count, let value = values[index] {
                let (x, y) = (plot.x(index), plot.y(Double(value)))
                points += (points.isEmpty ? "" : " ") + coord(x) + "," + coord(y)
                if values.count <= 31 || index == start && (index + 1 == values.count || values[index + 1] == nil) {
                    markers += marker(look.marker, x, y)
                }
                index += 1
            }
            out.append("<polyline points=\"\(points)\"/>")
        }
        if !markers.isEmpty { out.append("<path d=\"\(markers)\" fill=\"currentColor\" stroke=\"none\"/>") }
        out.append("</g>")
        return out
    }

    /// The y axis: from 0 or below the lowest value to the highest, in steps of 1, 2 or 5 × 10ⁿ (at least 1).
    private struct Scale {
        let low: Double
        let high: Double
        let step: Double

        init(low dataLow: Double, high dataHigh: Double) {
            let rough = max((dataHigh - dataLow) / 4, 1)
            var magnitude = 1.0
            while magnitude * 10 <= rough { magnitude *= 10 }
            let normalized = rough / magnitude
            step = (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude
            low = (dataLow / step).rounded(.down) * step
            high = max((dataHigh / step).rounded(.up) * step, low + step)
        }

        var ticks: [Double] { (0...Int(((high - low) / step).rounded())).map { low + step * Double($0) } }
    }

    private static func open(id: String, title: String, description: String, height: Double) -> HTML {
        """
        <div class="chart-scroll"><svg xmlns="http://www.w3.org/2000/svg" class="chart-plot" role="img" \
        aria-labelledby="\(id)-title \(id)-desc" viewBox="0 0 \(coord(width)) \(coord(height))" font-size="11">\
        <title id="\(id)-title">\(clean(title))</title><desc id="\(id)-desc">\(clean(description))</desc>
        """
    }

    private static func figure(svg: HTML, legend: HTML, title: String, table: HTML) -> HTML {
        """
        <figure class="chart">\(svg)\(legend)<details class="chart-data"><summary>Show the numbers as a table</summary>\
        <div class="table-scroll" role="region" tabindex="0" aria-label="\(clean(title))"><table class="table"><caption>\(clean(title))</caption>\(table)</table></div></details></figure>
        """
    }

    private static func swatch(_ paint: HTML, _ label: String) -> HTML {
        """
        <li><svg xmlns="http://www.w3.org/2000/svg" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">\
        <rect class="chart-heat" color="\(heatColour)" x="1" y="1" width="12" height="12" rx="2" fill="currentColor"\(paint)/></svg><span>\(label)</span></li>
        """
    }

    /// A marker's path at (x, y): circle, square, triangle, diamond, triangle down, plus.
    private static func marker(_ shape: Int, _ x: Double, _ y: Double) -> String {
        switch shape {
        case 0: return "M\(coord(x - 3.5)),\(coord(y))a3.5,3.5 0 1,0 7,0a3.5,3.5 0 1,0 -7,0z"
        case 1: return "M\(coord(x - 3)),\(coord(y - 3))h6v6h-6z"
        case 2: return "M\(coord(x)),\(coord(y - 4.5))l4,7h-8z"
        case 3: return "M\(coord(x)),\(coord(y - 4.5))l4.5,4.5l-4.5,4.5l-4.5,-4.5z"
        case 4: return "M\(coord(x)),\(coord(y + 4.5))l4,-7h-8z"
        default: return "M\(coord(x - 1.2)),\(coord(y - 4.5))h2.4v3.3h3.3v2.4h-3.3v3.3h-2.4v-3.3h-3.3v-2.4h3.3z"
        }
    }

    private static func posts(_ count: Int) -> String { count == 1 ? "1 post" : "\(count) posts" }

    /// Estimated width of a label at font-size 11.
    private static func textWidth(_ characters: Int) -> Double { Double(characters) * 7 }

    /// A coordinate to one decimal place.
    static func coord(_ value: Double) -> String { decimal(value, places: 1) }

    /// `value` rounded to `places` decimals, trailing zeros dropped; locale-free. Huge values fall back to `short`.
    static func decimal(_ value: Double, places: Int, minus: String = "-") -> String {
        guard value.isFinite else { return "0" }
        guard abs(value) < 1e15 else { return short(value) }
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        var text = (value < 0 && scaled != 0 ? minus : "") + String(scaled / scale)
        var fraction = scaled % scale
        var digits = places
        while fraction != 0 && fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        if fraction != 0 {
            let raw = String(fraction)
            text += "." + String(repeating: "0", count: digits - raw.count) + raw
        }
        return text
    }

    /// A tick or scale label: 950, 1.2k, 3.4M, −12k.
    static func short(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let magnitude = abs(value)
        if magnitude < 1000 { return decimal(value, places: 1, minus: "\u{2212}") }
        let units: [(Double, String)] = [(1e3, "k"), (1e6, "M"), (1e9, "B"), (1e12, "T"), (1e15, "P"), (1e18, "E")]
        var unit = units.lastIndex { magnitude >= $0.0 } ?? 0
        var tenths = min((magnitude / units[unit].0 * 10).rounded(), 9e15)
        if tenths >= 10_000 && unit + 1 < units.count {
            unit += 1
            tenths = (magnitude / units[unit].0 * 10).rounded()
        }
        let whole = Int64(tenths) / 10
        let fraction = Int64(tenths) % 10
        return (value < 0 ? "\u{2212}" : "") + String(whole) + (fraction == 0 ? "" : ".\(fraction)") + units[unit].1
    }

    /// Label text with the characters XML forbids (C0 controls other than tab and newlines, U+FFFE, U+FFFF) replaced.
    static func clean(_ text: String) -> String {
        func bad(_ scalar: Unicode.Scalar) -> Bool {
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0xFFFE || scalar.value == 0xFFFF
        }
        guard text.unicodeScalars.contains(where: bad) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { bad($0) ? "\u{FFFD}" : $0 }))
    }
}
