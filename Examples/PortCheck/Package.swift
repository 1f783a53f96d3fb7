// swift-tools-version: 6.1
//
// PortCheck: a package with its own Swift port of a framework loss, checked against
// hinge-conformance's golden fixtures in its own `swift test`.
//
// Your package depends on hinge-conformance by its repository URL and a release, and names
// the products with `package: "hinge-conformance"`. This example lives inside the
// hinge-conformance checkout and depends on it by path instead: SwiftPM then names the
// dependency after the folder it sits in, whatever the clone was called, hence `checkout`.
import Foundation
import PackageDescription

let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "PortCheck",
    products: [.library(name: "PortedLosses", targets: ["PortedLosses"])],
    dependencies: [.package(path: "../..")],
    targets: [
        // The port itself depends on nothing: only its tests know about the fixtures.
        .target(name: "PortedLosses"),
        .testTarget(
            name: "PortedLossesTests",
            dependencies: [
                "PortedLosses",
                .product(name: "HingeConformance", package: checkout),
                .product(name: "HingeFixtures", package: checkout),
            ]
        ),
    ]
)
