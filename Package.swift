// swift-tools-version: 6.1
//
// hinge-conformance: reference implementations of the hinge-family losses and
// linear SVMs of the major ML frameworks, golden fixtures produced by the real
// frameworks, and the conformance machinery that checks one against the other.
//
// The layering is visible in the targets:
//   HingeLosses        the implementations; knows nothing of fixtures (no Foundation)
//   HingeConformance   fixture format v1, comparator, registry, runner, reports; knows no framework
//   HingeSuites        the adapters: one file per framework, registering its suites
//   hinge-conformance  the command-line tool (argument parsing only)
import PackageDescription

let package = Package(
    name: "hinge-conformance",
    products: [
        // MARK: - Public API
        .library(name: "HingeLosses", targets: ["HingeLosses"]),
        .library(name: "HingeConformance", targets: ["HingeConformance"]),
        .library(name: "HingeSuites", targets: ["HingeSuites"]),
        .executable(name: "hinge-conformance", targets: ["HingeConformanceTool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        .target(
            name: "HingeLosses",
            dependencies: ["CPrefetch", .product(name: "RealModule", package: "swift-numerics")]
        ),
        // A one-line C shim: Swift has no prefetch built-in, and LIBLINEAR's dual CD walks
        // randomly shuffled sparse rows, so fetching the next row ahead pays off.
        .target(name: "CPrefetch"),
        .target(name: "HingeConformance"),
        .target(name: "HingeSuites", dependencies: ["HingeLosses", "HingeConformance"]),
        .executableTarget(
            name: "HingeConformanceTool",
            dependencies: [
                "HingeConformance",
                "HingeSuites",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `tools/bench_linearsvc.py` drives it: LinearSVC fit times against scikit-learn in one run.
        .executableTarget(name: "LinearSVCBench", dependencies: ["HingeLosses"]),

        // MARK: - Tests
        .testTarget(name: "HingeLossesTests", dependencies: ["HingeLosses"]),
        .testTarget(name: "HingeConformanceTests", dependencies: ["HingeConformance"]),
        .testTarget(
            name: "FixtureConformanceTests",
            dependencies: ["HingeConformance", "HingeSuites", "HingeLosses"]
        ),
    ]
)
