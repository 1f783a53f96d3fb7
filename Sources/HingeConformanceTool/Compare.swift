import ArgumentParser
import Foundation
import HingeConformance
import HingeSuites

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run two suites' implementations on the same problems and show where their conventions differ.",
        discussion: """
            Each suite is called as its framework calls the loss (its labels, argument names, \
            reduction and defaults) on seeded canonical problems of the loss's family: regular ones, \
            margins at the kink and ties, NaN, ±inf and empty batches, in float32 and float64. \
            Name a suite with its variant in brackets where it has several (--list shows them). \
            --all writes the whole divergence matrix, every pair of suites of one loss; \
            CONVENTIONS.md is its Markdown form (--all --markdown with the default draws and seed).
            """)

    @Argument(help: "Two conventions to compare, e.g. math.hinge 'keras.losses.hinge[backend=jax]'.")
    var names: [String] = []

    @Flag(help: "Compare every pair of conventions of each loss.")
    var all = false

    @Flag(help: "With --all: write Markdown (the form of CONVENTIONS.md).")
    var markdown = false

    @Flag(help: "List the conventions, grouped by family and loss.")
    var list = false

    @Option(help: "Problems of each kind and dtype.")
    var draws = DivergenceDefaults.draws

    @Option(help: "Seed of the problems.")
    var seed = DivergenceDefaults.seed

    func validate() throws {
        guard draws >= 1 else { throw ValidationError("--draws must be at least 1") }
        if list || all {
            guard names.isEmpty else { throw ValidationError("--list and --all take no suite names") }
        } else if names.count != 2 {
            throw ValidationError("name two conventions, or use --all or --list")
        }
        if markdown && !all { throw ValidationError("--markdown goes with --all") }
    }

    func run() throws {
        let conventions = Convention.bundled
        if list {
            for convention in conventions.sorted(by: { ($0.family.rawValue, $0.loss, $0.name) < ($1.family.rawValue, $1.loss, $1.name) }) {
                print("\(convention.family.rawValue) · \(convention.loss)  \(convention.name)")
            }
            return
        }
        if all {
            let matrix = DivergenceMatrix(conventions: conventions, registry: .bundled, perKind: draws, seed: seed)
            if markdown {
                print(matrix.markdown(command: DivergenceDefaults.command), terminator: "")
            } else {
                for group in matrix.groups {
                    print("== \(group.family.rawValue) · \(group.loss)")
                    for comparison in group.comparisons { print(comparison.detail(), terminator: "\n\n") }
                }
            }
            return
        }
        let pair = try names.map { name in
            guard let convention = conventions.first(where: { $0.name == name }) else {
                let similar = conventions.map(\.name).filter { $0.hasPrefix(name) }
                throw ValidationError(
                    "no convention named '\(name)'"
                        + (similar.isEmpty ? "; see --list" : "; did you mean " + similar.joined(separator: ", ") + "?"))
            }
            return convention
        }
        guard pair[0].family == pair[1].family else {
            throw ValidationError(
                "\(pair[0].name) is a \(pair[0].family.rawValue) loss and \(pair[1].name) a \(pair[1].family.rawValue) one: nothing to compare")
        }
        if pair[0].loss != pair[1].loss {
            print("note: different losses (\(pair[0].loss), \(pair[1].loss)): they differ by definition\n")
        }
        let problems = CanonicalDraws.problems(pair[0].family, perKind: draws, seed: seed)
        print(ConventionComparison(pair[0], pair[1], problems: problems, registry: .bundled).detail())
    }
}
