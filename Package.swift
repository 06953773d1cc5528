// swift-tools-version: 6.1
import PackageDescription

// Runtime-core targets (EdgePackFormat, EdgePackRuntime, EdgePackAudio, EdgePackPointCloud,
// EdgePackApp) must stay inside Embedded Swift: Toolchain/build-device compiles the very same
// folders for aarch64 Linux. Host-only targets may use Foundation and packages.
// The float kernels' fused multiply-adds are C that picks FMA instructions at run time
// (Sources/CEdgePackSys/fma.c), so no CPU-wide flag is needed for them. On x86-64 the Swift
// code targets x86-64-v2 (POPCNT, SSE4.2: every Intel CPU since Nehalem, 2008, every AMD
// since Bulldozer, 2011), which gives the binary kernels a popcount instruction; other
// architectures build with the compiler's default.
#if arch(x86_64)
let hostCPU: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-march=x86-64-v2"])]
#else
let hostCPU: [SwiftSetting] = []
#endif

let package = Package(
    name: "EdgePack",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "edgepack", targets: ["edgepack"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
    ],
    targets: [
        .target(name: "CEdgePackSys", path: "Sources/CEdgePackSys"),
        // libasound is opened with dlopen at the first capture (libdl before glibc 2.34).
        .target(name: "CEdgePackALSA", path: "Sources/CEdgePackALSA",
                linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "EdgePackFormat", dependencies: ["CEdgePackSys"], path: "Sources/EdgePackFormat"),
        .target(name: "EdgePackRuntime", dependencies: ["EdgePackFormat", "CEdgePackSys"],
                path: "Sources/EdgePackRuntime", swiftSettings: hostCPU),
        .target(name: "EdgePackAudio", dependencies: ["EdgePackFormat", "EdgePackRuntime", "CEdgePackSys", "CEdgePackALSA"],
                path: "Sources/EdgePackAudio", swiftSettings: hostCPU),
        .target(name: "EdgePackPointCloud", dependencies: ["EdgePackRuntime", "CEdgePackSys"],
                path: "Sources/EdgePackPointCloud", swiftSettings: hostCPU),
        .target(name: "EdgePackApp",
                dependencies: ["EdgePackFormat", "EdgePackRuntime", "EdgePackAudio", "EdgePackPointCloud", "CEdgePackSys"],
                path: "Sources/EdgePackApp"),
        .target(name: "EdgePackHost", dependencies: ["EdgePackFormat", "EdgePackRuntime", "EdgePackPointCloud"],
                path: "Sources/EdgePackHost"),
        .target(name: "EdgePackConvert",
                dependencies: ["EdgePackHost", "EdgePackFormat", "EdgePackRuntime",
                               .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                path: "Sources/EdgePackConvert", exclude: ["ONNX/onnx.proto"]),
        .executableTarget(name: "edgepack",
                          dependencies: ["EdgePackApp", "EdgePackHost", "EdgePackConvert",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          path: "Sources/edgepack", plugins: ["GitCommit"]),
        // `edgepack --version` names the commit; Toolchain/build-device embeds it the same way.
        .plugin(name: "GitCommit", capability: .buildTool(), path: "Plugins/GitCommit"),
        .testTarget(name: "EdgePackTests",
                    dependencies: ["EdgePackFormat", "EdgePackRuntime", "EdgePackAudio", "EdgePackPointCloud",
                                   "EdgePackApp", "EdgePackHost", "EdgePackConvert"],
                    path: "Tests/EdgePackTests", exclude: ["Fixtures"], swiftSettings: hostCPU),
    ]
)
