import EdgePackFormat
import EdgePackPointCloud

/// Seeded generator for synthetic weights: the runtime's SplitMix64 (EdgePackPointCloud), so test
/// and benchmark models are reproducible from a seed.
public typealias SplitMix64 = SplitMixRandom

/// Models built in code: the benchmark shapes of the foundation issue and a small graph that
/// exercises every operator, for tests and for host/device agreement checks.
public enum SyntheticModels {
    public static let names = ["dense1024", "conv64", "allops", "kws-random", "pointcloud-random"]

    /// Speech Commands' 12 classes in the order the BiFSMN recipes use.
    public static let speechCommandsLabels = ["silence", "unknown", "yes", "no", "up", "down", "left", "right",
                                              "on", "off", "stop", "go"]

    public static func build(_ name: String, seed: UInt64 = 1) -> [UInt8]? {
        switch name {
        case "dense1024": return binaryDense(features: 1024, seed: seed)
        case "conv64": return binaryConv(channels: 64, size: 32, seed: seed)
        case "allops": return allOps(seed: seed)
        case "kws-random": return randomKWS(seed: seed)
        case "pointcloud-random": return randomPointNet(seed: seed)
        default: return nil
        }
    }

    /// x[1, 1024] -> SignPack -> BinaryGemm 1024→1024 (+ scale, bias).
    public static func binaryDense(features: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let b = ModelBuilder(name: "binary-dense-\(features)")
        b.metadata.description = "one binary fully connected layer \(features)→\(features)"
        let x = b.addInput("x", shape: [1, features])
        let packed = b.addActivation("x_sign", shape: [1, features], dtype: .bit)
        b.addOperator(.signPack, inputs: [x], outputs: [packed], options: .signPack(channelsLast: false, threshold: 0), name: "sign")
        let w = b.addPackedConstant("w", shape: [features, features], words: packSigns(rng.signs(features * features), rowLength: features))
        let scale = b.addConstant("scale", shape: [features], floats: rng.floats(features, 0.01, 0.1))
        let bias = b.addConstant("bias", shape: [features], floats: rng.floats(features, -1, 1))
        let y = b.addActivation("y", shape: [1, features])
        b.addOperator(.binaryGemm, inputs: [packed, w, scale, bias], outputs: [y], options: .binaryGemm(FusedActivation()), name: "dense")
        b.markOutput(y)
        return b.serialize()
    }

    /// x[1, C, S, S] -> SignPack (channels last) -> BinaryConv2D 3×3 C→C pad 1.
    public static func binaryConv(channels c: Int, size s: Int, seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let b = ModelBuilder(name: "binary-conv3x3-\(c)x\(s)")
        b.metadata.description = "one binary 3×3 convolution \(c)→\(c) on \(s)×\(s), zero padding 1"
        let x = b.addInput("x", shape: [1, c, s, s])
        let packed = b.addActivation("x_sign", shape: [1, s, s, c], dtype: .bit)
        b.addOperator(.signPack, inputs: [x], outputs: [packed], options: .signPack(channelsLast: true, threshold: 0), name: "sign")
        let w = b.addPackedConstant("w", shape: [c, 3, 3, c], words: packSigns(rng.signs(c * 9 * c), rowLength: c))
        let scale = b.addConstant("scale", shape: [c], floats: rng.floats(c, 0.01, 0.1))
        let bias = b.addConstant("bias", shape: [c], floats: rng.floats(c))
        let y = b.addActivation("y", shape: [1, c, s, s])
        var p = ConvParams(); p.padTop = 1; p.padLeft = 1; p.padBottom = 1; p.padRight = 1
        b.addOperator(.binaryConv2d, inputs: [packed, w, scale, bias], outputs: [y], options: .binaryConv(p, inputChannels: c), name: "conv")
        b.markOutput(y)
        return b.serialize()
    }

    /// A small network touching every operator: float conv + PReLU, binary conv, depthwise
    /// binary conv1d, pooling, affine, add, clip, reshape, transpose, binary and float Gemm,
    /// reduce-max with offset, softmax.
    public static func allOps(seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let b = ModelBuilder(name: "all-ops")
        b.metadata.description = "every runtime operator once, for tests"
        let x = b.addInput("x", shape: [1, 3, 12, 12])
        // Float conv 3→70, 3×3 stride 1 pad 1, fused PReLU.
        let w1 = b.addConstant("w1", shape: [70, 3, 3, 3], floats: rng.floats(70 * 27, -0.5, 0.5))
        let b1 = b.addConstant("b1", shape: [70], floats: rng.floats(70, -0.1, 0.1))
        let s1 = b.addConstant("slope1", shape: [70], floats: rng.floats(70, 0, 0.3))
        let c1 = b.addActivation("c1", shape: [1, 70, 12, 12])
        var p1 = ConvParams(); p1.padTop = 1; p1.padLeft = 1; p1.padBottom = 1; p1.padRight = 1
        p1.activation = FusedActivation(kind: .prelu)
        b.addOperator(.conv2d, inputs: [x, w1, b1, s1], outputs: [c1], options: .conv(p1), name: "conv1")
        // Binary conv 70→40, 3×3 stride 2 pad 1 (channels not a multiple of 64), clip.
        let k1 = b.addActivation("k1", shape: [1, 12, 12, 70], dtype: .bit)
        b.addOperator(.signPack, inputs: [c1], outputs: [k1], options: .signPack(channelsLast: true, threshold: 0), name: "sign1")
        let w2 = b.addPackedConstant("w2", shape: [40, 3, 3, 70], words: packSigns(rng.signs(40 * 9 * 70), rowLength: 70))
        let sc2 = b.addConstant("scale2", shape: [40], floats: rng.floats(40, 0.01, 0.05))
        let bi2 = b.addConstant("bias2", shape: [40], floats: rng.floats(40, -0.5, 0.5))
        let c2 = b.addActivation("c2", shape: [1, 40, 6, 6])
        var p2 = ConvParams(); p2.strideH = 2; p2.strideW = 2; p2.padTop = 1; p2.padLeft = 1; p2.padBottom = 1; p2.padRight = 1
        p2.activation = FusedActivation(kind: .clip, clipMin: -1, clipMax: 1)
        b.addOperator(.binaryConv2d, inputs: [k1, w2, sc2, bi2], outputs: [c2], options: .binaryConv(p2, inputChannels: 70), name: "bconv2")
        // Max pool 2×2 -> [1, 40, 3, 3]; channel affine; reshape to [1, 40, 9].
        let pl = b.addActivation("pool", shape: [1, 40, 3, 3])
        var pp = PoolParams(); pp.kernelH = 2; pp.kernelW = 2; pp.strideH = 2; pp.strideW = 2
        b.addOperator(.pool2d, inputs: [c2], outputs: [pl], options: .pool(pp), name: "maxpool")
        let asc = b.addConstant("bn_scale", shape: [40], floats: rng.floats(40, 0.5, 1.5))
        let abi = b.addConstant("bn_bias", shape: [40], floats: rng.floats(40, -0.2, 0.2))
        let af = b.addActivation("affine", shape: [1, 40, 3, 3])
        b.addOperator(.channelAffine, inputs: [pl, asc, abi], outputs: [af], options: .channelAffine, name: "bn")
        let r1 = b.addActivation("seq", shape: [1, 40, 9])
        b.addOperator(.reshape, inputs: [af], outputs: [r1], options: .reshape, name: "reshape")
        // Depthwise binary conv1d k=5 pad 2 (memory block), residual add, relu.
        let k2 = b.addActivation("k2", shape: [1, 9, 40], dtype: .bit)
        b.addOperator(.signPack, inputs: [r1], outputs: [k2], options: .signPack(channelsLast: true, threshold: 0), name: "sign2")
        let w3 = b.addPackedConstant("w3", shape: [5, 40], words: packSigns(rng.signs(5 * 40), rowLength: 40))
        let sc3 = b.addConstant("scale3", shape: [40], floats: rng.floats(40, 0.05, 0.2))
        let bi3 = b.addConstant("bias3", shape: [40], floats: rng.floats(40, -0.1, 0.1))
        let c3 = b.addActivation("mem", shape: [1, 40, 9])
        var p3 = ConvParams(); p3.padLeft = 2; p3.padRight = 2; p3.groups = 40
        b.addOperator(.binaryConv1d, inputs: [k2, w3, sc3, bi3], outputs: [c3], options: .binaryConv(p3, inputChannels: 40), name: "dwconv")
        let ad = b.addActivation("res", shape: [1, 40, 9])
        b.addOperator(.add, inputs: [r1, c3], outputs: [ad], options: .add(FusedActivation(kind: .relu)), name: "residual")
        // Transpose to [1, 9, 40], binary gemm 40→24 over the 9 rows, global reduce max + offset.
        let tr = b.addActivation("tr", shape: [1, 9, 40])
        b.addOperator(.transpose, inputs: [ad], outputs: [tr], options: .transpose(perm: [0, 2, 1]), name: "transpose")
        let k3 = b.addActivation("k3", shape: [1, 9, 40], dtype: .bit)
        b.addOperator(.signPack, inputs: [tr], outputs: [k3], options: .signPack(channelsLast: false, threshold: 0.05), name: "sign3")
        let w4 = b.addPackedConstant("w4", shape: [24, 40], words: packSigns(rng.signs(24 * 40), rowLength: 40))
        let sc4 = b.addConstant("scale4", shape: [24], floats: rng.floats(24, 0.05, 0.2))
        let bi4 = b.addConstant("bias4", shape: [24], floats: rng.floats(24, -0.3, 0.3))
        let sl4 = b.addConstant("slope4", shape: [1], floats: [0.25])
        let g1 = b.addActivation("g1", shape: [1, 9, 24])
        b.addOperator(.binaryGemm, inputs: [k3, w4, sc4, bi4, sl4], outputs: [g1], options: .binaryGemm(FusedActivation(kind: .prelu)), name: "bgemm")
        let mx = b.addActivation("pooled", shape: [1, 24])
        b.addOperator(.reduceMax, inputs: [g1], outputs: [mx], options: .reduceMax(axis: 1, keepDims: false, offset: -0.5), name: "maxpool_points")
        // Float gemm 24→10, softmax.
        let w5 = b.addConstant("w5", shape: [10, 24], floats: rng.floats(240, -0.5, 0.5))
        let b5 = b.addConstant("b5", shape: [10], floats: rng.floats(10, -0.1, 0.1))
        let lg = b.addActivation("logits", shape: [1, 10])
        b.addOperator(.gemm, inputs: [mx, w5, b5], outputs: [lg], options: .gemm(FusedActivation()), name: "fc")
        let pr = b.addActivation("probs", shape: [1, 10])
        b.addOperator(.softmax, inputs: [lg], outputs: [pr], options: .softmax(axis: -1), name: "softmax")
        b.markOutput(pr)
        return b.serialize()
    }

    /// An untrained keyword-spotting network with the BiFSMN front-end metadata (1×32×32
    /// log-mel in, 12 classes out): exercises the streaming pipeline end to end on host and
    /// device. Its detections mean nothing.
    public static func randomKWS(seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let b = ModelBuilder(name: "kws-random")
        b.metadata.description = "untrained BiFSMN-shaped test network (pipeline checks only)"
        var spec = AudioFrontEndSpec()
        spec.labels = speechCommandsLabels; spec.silenceLabel = 0; spec.unknownLabel = 1
        b.audio = spec
        let x = b.addInput("mel", shape: [1, 1, 32, 32])
        // Scale dB features to about unit range, float conv 1→16 5×5 stride 2.
        let sc = b.addConstant("in_scale", shape: [1], floats: [0.02]), bi = b.addConstant("in_bias", shape: [1], floats: [1])
        let xn = b.addActivation("mel_norm", shape: [1, 1, 32, 32])
        b.addOperator(.channelAffine, inputs: [x, sc, bi], outputs: [xn], options: .channelAffine, name: "normalize")
        let w1 = b.addConstant("w1", shape: [16, 1, 5, 5], floats: rng.floats(400, -0.3, 0.3))
        let c1 = b.addActivation("c1", shape: [1, 16, 16, 16])
        var p1 = ConvParams(); p1.strideH = 2; p1.strideW = 2; p1.padTop = 2; p1.padLeft = 2; p1.padBottom = 2; p1.padRight = 2
        b.addOperator(.conv2d, inputs: [xn, w1], outputs: [c1], options: .conv(p1), name: "front")
        let k1 = b.addActivation("k1", shape: [1, 16, 16, 16], dtype: .bit)
        b.addOperator(.signPack, inputs: [c1], outputs: [k1], options: .signPack(channelsLast: true, threshold: 0), name: "sign1")
        let w2 = b.addPackedConstant("w2", shape: [32, 3, 3, 16], words: packSigns(rng.signs(32 * 9 * 16), rowLength: 16))
        let s2 = b.addConstant("s2", shape: [32], floats: rng.floats(32, 0.02, 0.05))
        let b2 = b.addConstant("b2", shape: [32], floats: rng.floats(32, -0.2, 0.2))
        let c2 = b.addActivation("c2", shape: [1, 32, 8, 8])
        var p2 = ConvParams(); p2.strideH = 2; p2.strideW = 2; p2.padTop = 1; p2.padLeft = 1; p2.padBottom = 1; p2.padRight = 1
        b.addOperator(.binaryConv2d, inputs: [k1, w2, s2, b2], outputs: [c2], options: .binaryConv(p2, inputChannels: 16), name: "bconv")
        let g = b.addActivation("pool", shape: [1, 32, 1, 1])
        var pp = PoolParams(); pp.global = true; pp.kind = .average
        b.addOperator(.pool2d, inputs: [c2], outputs: [g], options: .pool(pp), name: "gap")
        let f = b.addActivation("flat", shape: [1, 32])
        b.addOperator(.reshape, inputs: [g], outputs: [f], options: .reshape, name: "flatten")
        let w3 = b.addConstant("w3", shape: [12, 32], floats: rng.floats(384, -2, 2))
        let y = b.addActivation("logits", shape: [1, 12])
        b.addOperator(.gemm, inputs: [f, w3], outputs: [y], options: .gemm(FusedActivation()), name: "head")
        b.markOutput(y)
        return b.serialize()
    }

    /// An untrained PointNet-shaped network over 64 points ([1, 3, 64] in, 10 classes out), with
    /// point-cloud metadata: exercises PCD reading, preprocessing and classification.
    public static func randomPointNet(seed: UInt64) -> [UInt8] {
        var rng = SplitMix64(seed: seed)
        let b = ModelBuilder(name: "pointcloud-random")
        b.metadata.description = "untrained PointNet-shaped test network (pipeline checks only)"
        var spec = PointCloudSpec(); spec.numPoints = 64
        spec.labels = ["sphere", "cube", "cylinder", "cone", "torus", "pyramid", "capsule", "ellipsoid", "disc", "ring"]
        b.pointCloud = spec
        let x = b.addInput("points", shape: [1, 3, 64])
        let w1 = b.addConstant("w1", shape: [32, 3, 1], floats: rng.floats(96)), b1 = b.addConstant("b1", shape: [32], floats: rng.floats(32, -0.1, 0.1))
        let c1 = b.addActivation("c1", shape: [1, 32, 64])
        var p1 = ConvParams(); p1.activation = FusedActivation(kind: .clip, clipMin: -1, clipMax: 1)
        b.addOperator(.conv1d, inputs: [x, w1, b1], outputs: [c1], options: .conv(p1), name: "mlp1")
        let k1 = b.addActivation("k1", shape: [1, 64, 32], dtype: .bit)
        b.addOperator(.signPack, inputs: [c1], outputs: [k1], options: .signPack(channelsLast: true, threshold: 0), name: "sign1")
        let w2 = b.addPackedConstant("w2", shape: [128, 1, 32], words: packSigns(rng.signs(128 * 32), rowLength: 32))
        let s2 = b.addConstant("s2", shape: [128], floats: rng.floats(128, 0.05, 0.1)), b2 = b.addConstant("b2", shape: [128], floats: rng.floats(128, -0.2, 0.2))
        let c2 = b.addActivation("c2", shape: [1, 128, 64])
        b.addOperator(.binaryConv1d, inputs: [k1, w2, s2, b2], outputs: [c2], options: .binaryConv(ConvParams(), inputChannels: 32), name: "mlp2")
        let mx = b.addActivation("global", shape: [1, 128])
        b.addOperator(.reduceMax, inputs: [c2], outputs: [mx], options: .reduceMax(axis: 2, keepDims: false, offset: -1.5), name: "maxpool")
        let w3 = b.addConstant("w3", shape: [10, 128], floats: rng.floats(1280, -0.3, 0.3))
        let y = b.addActivation("logits", shape: [1, 10])
        b.addOperator(.gemm, inputs: [mx, w3], outputs: [y], options: .gemm(FusedActivation()), name: "head")
        b.markOutput(y)
        return b.serialize()
    }
}
