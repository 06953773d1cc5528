import EdgePackFormat

/// A binary layer's bit-packed output, prepared: SignPack's threshold (the float-reference mode
/// runs the chain) and the per-channel comparisons the binary kernels run.
struct PreparedSignOutput {
    var threshold: Float
    var signs: SignThresholds
}

extension OpContext {
    /// Checks a bit-packed output (BIT `outShape`, the optional affine at inputs 5 and 6) and
    /// derives its thresholds. Returns the operator's inputs: x, weight, scale, bias, slope,
    /// post scale, post bias (-1 when absent).
    func bitpackedOutput(_ b: BitpackedOutput, x: Int, w: Int, activation: FusedActivation, channels: Int,
                         maxDot: Int, outShape: [Int]) throws(RuntimeError) -> (inputs: [Int], out: Int, PreparedSignOutput) {
        let out = try output(.bit)
        try expectShape(out, outShape, "bit-packed output")
        let (scale, bias) = try outputTransformInputs(channels)
        let slope = activation.kind == .prelu ? try withSlope([], activation, slot: 4, channels: channels)[0] : -1
        let postScale = try optionalInput(5, .float32, "post scale"), postBias = try optionalInput(6, .float32, "post bias")
        guard (postScale == nil) == (postBias == nil) else { throw fail("post scale and post bias must both be given or both absent") }
        for (t, what) in [(postScale, "post scale"), (postBias, "post bias")] {
            guard let t else { continue }
            guard tensor(t).isConstant else { throw fail("\(what) '\(tensor(t).name)' must be a constant") }
            try expectChannelVector(t, channels, what)
        }
        let act = ChannelActivation(activation, slope: slope >= 0 ? floats(slope) : nil,
                                    slopeCount: slope >= 0 ? tensor(slope).elementCount : 0)
        let chain = SignChain(OutputTransform(scale: floats(scale), bias: floats(bias), activation: act),
                              postScale: postScale.map(floats), postBias: postBias.map(floats), threshold: b.threshold)
        let signs: SignThresholds
        do { signs = try SignThresholds(chain, channels: channels, maxDot: maxDot) } catch {
            throw fail("bit-packed output: channel \(error.channel)'s sign is not one interval of the dot product (or its complement)")
        }
        return ([x, w, scale, bias, slope, postScale ?? -1, postBias ?? -1], out,
                PreparedSignOutput(threshold: b.threshold, signs: signs))
    }

    /// A float constant's values in the mapped file.
    func floats(_ t: Int) -> UnsafePointer<Float> {
        model.constantData(t).baseAddress!.assumingMemoryBound(to: Float.self)
    }
}

extension Interpreter {
    /// The float chain a bit-packed binary layer folded (the float-reference mode runs it).
    @inline(__always) func signChain(_ op: PreparedOp, _ activation: FusedActivation, threshold: Float) -> SignChain {
        SignChain(transform(op, activation), postScale: op.readOptional(5), postBias: op.readOptional(6), threshold: threshold)
    }
}
