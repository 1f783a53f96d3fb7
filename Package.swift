// swift-tools-version: 6.1
//
// hinge-conformance: reference implementations of the hinge-family losses and
// linear SVMs of the major ML frameworks, golden fixtures produced by the real
// frameworks, and the conformance machinery that checks one against the other.
//
// The layering is visible in the targets:
//   HingeLosses        the implementations; knows nothing of fixtures (no Foundation)
//   HingeConformance   fixture format v1, comparator, registry, runner, reports; knows no framework
//   HingeFixtures      the golden fixtures (top-level fixtures/) as a resource bundle, found with no path
//   HingeSuites        the adapters: one file per framework, registering its suites
//   HingeFuzz          the fuzzer of `hinge-conformance fuzz` (its Python half behind the trait)
//   hinge-conformance  the command-line tool (argument parsing only)
//   CPython, PythonBridge  the embedded interpreter behind `regen` and `fuzz`; only with
//                      `--traits PythonHarness` (the default build never links libpython)
//
// The benchmark executables are a package of their own, Benchmarks/ (depending on
// this one by path), so that this manifest lists only what users depend on.
import PackageDescription

let package = Package(
    name: "hinge-conformance",
    products: [
        // MARK: - Public API
        .library(name: "HingeLosses", targets: ["HingeLosses"]),
        .library(name: "HingeConformance", targets: ["HingeConformance"]),
        .library(name: "HingeSuites", targets: ["HingeSuites"]),
        .library(name: "HingeFixtures", targets: ["HingeFixtures"]),
        .executable(name: "hinge-conformance", targets: ["HingeConformanceTool"]),
    ],
    traits: [
        // Off by default: `swift build`, `swift test` and `swift run hinge-conformance` need no Python.
        // `swift build --traits PythonHarness` links Debian's libpython3 (python3-embed) and adds the
        // `regen` and `fuzz` subcommands, which run tools/ and the NumPy mirrors in-process.
        .trait(
            name: "PythonHarness",
            description: "Embed CPython (libpython3-dev, python3-embed) to regenerate fixtures and fuzz against the NumPy mirrors."
        ),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        // Property tests only (Tests/HingePropertyTests): seeded, shrinking generators for Swift Testing.
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
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
        // The fixtures stay in the top-level fixtures/ (generators write there, people read
        // them there); Sources/HingeFixtures/fixtures is a symbolic link to that folder, as a
        // resource must sit inside its target. `.process` copies the files the link leads to
        // (`.copy` would copy the link itself, dangling in the bundle).
        .target(name: "HingeFixtures", resources: [.process("fixtures")]),

        // MARK: - Embedded Python (trait PythonHarness; empty modules without it)
        .systemLibrary(
            name: "CPython",
            path: "Sources/CPython",
            pkgConfig: "python3-embed",
            providers: [.apt(["libpython3-dev"])]
        ),
        // The only target that imports CPython; its sources sit inside `#if PythonHarness`.
        .target(
            name: "PythonBridge",
            dependencies: [
                "HingeConformance",
                .target(name: "CPython", condition: .when(traits: ["PythonHarness"])),
            ]
        ),
        // The fuzzer behind `hinge-conformance fuzz`: input drawing, comparison, findings
        // files and progress need no Python; the engine that calls the mirrors is
        // `#if PythonHarness`.
        .target(name: "HingeFuzz", dependencies: ["HingeConformance", "HingeSuites", "PythonBridge"]),
        .executableTarget(
            name: "HingeConformanceTool",
            dependencies: [
                "HingeConformance",
                "HingeSuites",
                "HingeFixtures",
                "HingeFuzz",
                "PythonBridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: - Tests
        .testTarget(name: "HingeLossesTests", dependencies: ["HingeLosses"]),
        .testTarget(name: "HingeConformanceTests", dependencies: ["HingeConformance"]),
        .testTarget(name: "HingeFuzzTests", dependencies: ["HingeFuzz", "HingeConformance"]),
        // Mathematical properties of the losses (finite differences, invariances, signs) over
        // seeded random draws; failures print a seed to replay.
        .testTarget(
            name: "HingePropertyTests",
            dependencies: ["HingeLosses", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(
            name: "FixtureConformanceTests",
            dependencies: ["HingeConformance", "HingeSuites", "HingeLosses", "HingeFixtures"]
        ),
        // Compiled empty unless `swift test --traits PythonHarness`.
        .testTarget(name: "PythonBridgeTests", dependencies: ["PythonBridge", "HingeConformance"]),
    ]
)
