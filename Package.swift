// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "herald",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "herald", targets: ["herald"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C wrapper modules: the only places that see libcurl and libxml2 headers.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),

        // Feature modules.
        .target(name: "HeraldHTML", dependencies: ["CLibXML2"]),
        .target(
            name: "HeraldFetch",
            dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "HeraldFeeds", dependencies: ["HeraldHTML"]),
        .target(name: "HeraldExtract", dependencies: ["HeraldHTML"]),
        .target(name: "HeraldStore", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(name: "HeraldSimilarity"),
        .target(name: "HeraldEnrich", dependencies: ["HeraldSimilarity"]),
        // The enrichment benchmark (bench/enrich/run); never shipped.
        .executableTarget(name: "HeraldEnrichBench", dependencies: ["HeraldEnrich", "HeraldExtract"]),
        .executableTarget(name: "HeraldSimilarityBench", dependencies: ["HeraldSimilarity"]),
        .target(
            name: "HeraldDaemon",
            dependencies: [
                "HeraldFetch", "HeraldFeeds", "HeraldExtract", "HeraldStore", "HeraldSimilarity",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "herald",
            dependencies: [
                "HeraldDaemon", "HeraldFeeds", "HeraldExtract", "HeraldStore", "HeraldEnrich",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The change-log benchmark (bench/changelog/run); never shipped.
        .executableTarget(
            name: "HeraldLogBench",
            dependencies: ["HeraldStore", .product(name: "Logging", package: "swift-log")]
        ),

        // The feed-parsing speed benchmark (bench/feeds/speed); never shipped.
        .executableTarget(name: "HeraldFeedsBench", dependencies: ["HeraldFeeds"]),

        // A small HTTP/1.1 server on 127.0.0.1 used by tests and benchmarks (never shipped).
        .target(name: "HeraldTestServer"),

        .testTarget(name: "HeraldHTMLTests", dependencies: ["HeraldHTML"]),
        .testTarget(name: "HeraldFetchTests", dependencies: ["HeraldFetch", "HeraldTestServer"]),
        .testTarget(name: "HeraldFeedsTests", dependencies: ["HeraldFeeds"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HeraldExtractTests", dependencies: ["HeraldExtract"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HeraldStoreTests", dependencies: ["HeraldStore"]),
        .testTarget(name: "HeraldSimilarityTests", dependencies: ["HeraldSimilarity"]),
        .testTarget(name: "HeraldEnrichTests", dependencies: ["HeraldEnrich"]),
        .testTarget(name: "HeraldDaemonTests", dependencies: ["HeraldDaemon"]),
        .testTarget(
            name: "HeraldIntegrationTests",
            dependencies: ["HeraldTestServer", "HeraldStore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
