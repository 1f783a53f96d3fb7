// swift-tools-version: 6.1
//
// The benchmark executables of hinge-conformance, in a package of their own (as
// swift-collections keeps its benchmarks) so that the root manifest lists only what
// users depend on, and `swift build` / `swift test` in the root never build them.
// tools/bench.py, tools/bench_linearsvc.py and tools/bench_svc.py build them:
//
//   swift build -c release --package-path Benchmarks --product HingeBench
//   swift build -c release --package-path Benchmarks --product LinearSVCBench
//   swift build -c release --package-path Benchmarks --product SVCBench
//
// They call the public API of HingeLosses the way a client module does.
import PackageDescription

let package = Package(
    name: "hinge-conformance-benchmarks",
    products: [
        // Times the losses for tools/bench.py (against torch, Keras on JAX/TF, NumPy).
        .executable(name: "HingeBench", targets: ["HingeBench"]),
        // Times LinearSVC fits for tools/bench_linearsvc.py (against scikit-learn).
        .executable(name: "LinearSVCBench", targets: ["LinearSVCBench"]),
        // Times SVC fits for tools/bench_svc.py (against scikit-learn).
        .executable(name: "SVCBench", targets: ["SVCBench"]),
    ],
    dependencies: [
        .package(name: "hinge-conformance", path: ".."),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // Raw little-endian arrays in and out, CPU time and peak RSS, JSON scalars.
        .target(name: "BenchSupport", dependencies: [.product(name: "HingeLosses", package: "hinge-conformance")]),
        .executableTarget(
            name: "LinearSVCBench",
            dependencies: [.product(name: "HingeLosses", package: "hinge-conformance"), "BenchSupport"]
        ),
        .executableTarget(
            name: "SVCBench",
            dependencies: [.product(name: "HingeLosses", package: "hinge-conformance"), "BenchSupport"]
        ),
        .executableTarget(
            name: "HingeBench",
            dependencies: [
                .product(name: "HingeLosses", package: "hinge-conformance"), "BenchSupport",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
    ]
)
