import Foundation

/// A Prometheus text exposition parsed for assertions: samples by name and labels, and the `# TYPE` lines.
struct Exposition {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]
    let types: [String: String]

    init(_ text: String) {
        var samples: [Sample] = []
        var types: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "),
                let value = Double(line[line.index(after: space)...])
            else { continue }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                samples.append(Sample(name: String(series), labels: [:], value: value))
                continue
            }
            var labels: [String: String] = [:]
            // Label values here never contain `",` or escapes: split on the quotes.
            let body = series[series.index(after: brace)..<(series.lastIndex(of: "}") ?? series.endIndex)]
            for pair in body.split(separator: "\",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
            samples.append(Sample(name: String(series[..<brace]), labels: labels, value: value))
        }
        self.samples = samples
        self.types = types
    }

    /// The value of the one sample of `name` with exactly `labels`, nil when absent.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Every sample of `name` whose labels include `labels`.
    func all(_ name: String, matching labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
    }
}
