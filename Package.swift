// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ioffice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "documents", targets: ["Documents"]),
        .executable(name: "notify", targets: ["Notify"]),
        .executable(name: "calendar", targets: ["Calendar"]),
        .executable(name: "signing", targets: ["Signing"]),
        .executable(name: "web", targets: ["Web"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        // Access tokens (EdDSA JWTs), bcrypt and TOTP, and fetching the token key set from Documents.
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // The web front end's server-rendered pages.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // Benchmarks only: the HTTP method type of AsyncHTTPClient's requests.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Tests only: reads asyncapi.yaml to check it against the contract types.
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
    ],
    targets: [
        // librabbitmq-c 0.11 through C interop; the shim wraps the variadic amqp_login.
        .target(
            name: "CRabbitMQ",
            path: "Libraries/CRabbitMQ",
            linkerSettings: [.linkedLibrary("rabbitmq")]
        ),
        // OpenSSL 3 (Debian libssl-dev) for the Signing service, through a thin C layer over its macros.
        .target(
            name: "COpenSSL",
            path: "Libraries/COpenSSL",
            linkerSettings: [.linkedLibrary("ssl"), .linkedLibrary("crypto")]
        ),
        // zlib (Debian zlib1g-dev) for the compressed streams of PDFs.
        .target(name: "CZlib", path: "Libraries/CZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(
            name: "AMQPClient",
            dependencies: [
                "CRabbitMQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Libraries/AMQPClient"
        ),
        .target(
            name: "Contracts",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Libraries/Contracts",
            resources: [.copy("asyncapi.yaml"), .copy("openapi.yaml")]
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "AMQPClient",
                "Contracts",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // For ConnectionPoolError: the pool's "cannot reach the database" is infrastructure.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Libraries/ServiceKit"
        ),
        // Folding, search keys and NFC: Documents (names, search) and Notify (SMS text) share them.
        .target(name: "VietnameseText", path: "Libraries/VietnameseText"),
        .executableTarget(
            name: "Documents",
            dependencies: [
                "ServiceKit", "Contracts", "VietnameseText",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
            ],
            path: "Services/Documents"),
        .executableTarget(name: "Notify", dependencies: ["ServiceKit", "Contracts", "VietnameseText"], path: "Services/Notify"),
        .executableTarget(name: "Calendar", dependencies: ["ServiceKit", "Contracts", "VietnameseText"], path: "Services/Calendar"),
        .executableTarget(
            name: "Signing", dependencies: ["ServiceKit", "Contracts", "COpenSSL", "CZlib", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")],
            path: "Services/Signing", exclude: ["README.md"]),
        .executableTarget(
            name: "Web",
            dependencies: [
                "ServiceKit", "Contracts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Services/Web", exclude: ["README.md"], resources: [.copy("Templates"), .copy("Public")]),
        .executableTarget(
            name: "IncomingBench",
            dependencies: [
                "AMQPClient", "Contracts", "ServiceKit", "VietnameseText",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/IncomingBench"
        ),
        .executableTarget(
            name: "AMQPBench",
            dependencies: ["AMQPClient"],
            path: "Benchmarks/AMQPBench"
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "AMQPClient", "ServiceKit", "Contracts", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "Yams", package: "Yams"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/TestSupport"),
        .testTarget(
            name: "ContractsTests",
            dependencies: ["Contracts", .product(name: "Yams", package: "Yams")],
            path: "Tests/ContractsTests"
        ),
        .testTarget(name: "VietnameseTextTests", dependencies: ["VietnameseText"], path: "Tests/VietnameseTextTests"),
        .testTarget(
            name: "DocumentsTests",
            dependencies: [
                "Documents", "Signing", "ServiceKit", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Tests/DocumentsTests"),
        .testTarget(
            name: "SigningTests",
            dependencies: [
                "Signing", "Contracts", "ServiceKit", "AMQPClient", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/SigningTests",
            exclude: ["Fixtures/make-fixtures.sh", "Fixtures/make-pdfs.py", "Fixtures/make-pades.py", "Fixtures/pyhanko-verdicts.py"],
            resources: [.copy("Fixtures/generated"), .copy("Fixtures/expected.json")]),
        .testTarget(
            name: "NotifyTests",
            dependencies: [
                "Notify", "Contracts", "ServiceKit", "AMQPClient", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            path: "Tests/NotifyTests"),
        .testTarget(
            name: "CalendarTests",
            dependencies: [
                "Calendar", "Notify", "Contracts", "ServiceKit", "AMQPClient", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
            ],
            path: "Tests/CalendarTests", exclude: ["read_ics.py"]),
        .testTarget(name: "AMQPClientTests", dependencies: ["AMQPClient", "TestSupport"], path: "Tests/AMQPClientTests"),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: [
                "ServiceKit", "AMQPClient", "Contracts", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/ServiceKitTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
