// Turning a frame's points into a model input, as BiPointNet's data loader does: keep finite xyz,
// sample N points, subtract their mean, divide by the largest distance from the origin.
// Mean and norms are computed in Double and each coordinate rounded to Float once, so results are
// identical wherever IEEE arithmetic is (sqrt is correctly rounded; no transcendentals are used).

/// How to prepare points (mirrors the model file's PointCloudPrep table).
public struct PointCloudPrepOptions: Equatable, Sendable {
    public var numPoints: Int
    public var center: Bool
    public var unitSphere: Bool
    public var farthestPointSampling: Bool
    public var seed: UInt64

    public init(numPoints: Int = 1024, center: Bool = true, unitSphere: Bool = true,
                farthestPointSampling: Bool = false, seed: UInt64 = 1) {
        self.numPoints = numPoints; self.center = center; self.unitSphere = unitSphere
        self.farthestPointSampling = farthestPointSampling; self.seed = seed
    }
}

/// Memory order of the prepared tensor.
public enum PointLayout: Equatable, Sendable {
    /// [N, 3]: x0 y0 z0 x1 y1 z1 ...
    case pointsByCoordinates
    /// [3, N]: all x, then all y, then all z (PyTorch PointNet's Conv1d input).
    case coordinatesByPoints
}

public enum PreprocessError: Error, Equatable, Sendable {
    case noValidPoints(total: Int)
    case badPointCount(Int)
    case outputSize(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .noValidPoints(let total):
            return "no valid point to classify: all \(total) points have NaN or infinite coordinates"
        case .badPointCount(let n):
            return "the model asks for \(n) points; it must be at least 1"
        case .outputSize(let expected, let found):
            return "output buffer holds \(found) floats, \(expected) are needed"
        }
    }
}

public enum PointCloudPreprocess {
    /// Row-major xyz (count × 3) without the points that have a NaN or infinite coordinate.
    public static func finitePoints(_ xyz: [Float]) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(xyz.count)
        var i = 0
        while i + 2 < xyz.count {
            let x = xyz[i], y = xyz[i + 1], z = xyz[i + 2]
            if x.isFinite && y.isFinite && z.isFinite {
                out.append(x); out.append(y); out.append(z)
            }
            i += 3
        }
        return out
    }

    /// Indices of the points to use, from finite row-major xyz.
    public static func sampleIndices(xyz: [Float], options: PointCloudPrepOptions) -> [Int] {
        options.farthestPointSampling
            ? PointSampling.farthestPointIndices(xyz: xyz, target: options.numPoints)
            : PointSampling.randomIndices(count: xyz.count / 3, target: options.numPoints, seed: options.seed)
    }

    /// The full pipeline on row-major xyz (count × 3, invalid points allowed); returns N×3 or 3×N floats.
    public static func prepare(xyz: [Float], options: PointCloudPrepOptions,
                               layout: PointLayout) throws(PreprocessError) -> [Float] {
        var out = [Float](repeating: 0, count: max(0, options.numPoints) * 3)
        var failure: PreprocessError? = nil
        out.withUnsafeMutableBufferPointer { buffer in
            do throws(PreprocessError) {
                try prepare(xyz: xyz, options: options, layout: layout, into: buffer)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return out
    }

    /// As above, writing straight into a model input buffer of exactly N×3 floats.
    public static func prepare(xyz: [Float], options: PointCloudPrepOptions, layout: PointLayout,
                               into out: UnsafeMutableBufferPointer<Float>) throws(PreprocessError) {
        let n = options.numPoints
        guard n >= 1 else { throw .badPointCount(n) }
        guard out.count == n * 3 else { throw .outputSize(expected: n * 3, found: out.count) }
        let valid = finitePoints(xyz)
        guard valid.count >= 3 else { throw .noValidPoints(total: xyz.count / 3) }
        let chosen = sampleIndices(xyz: valid, options: options)

        // Mean of the sampled points (repeats included, as a loader that tiles points would have).
        var mx = 0.0, my = 0.0, mz = 0.0
        if options.center {
            for i in chosen {
                mx += Double(valid[i * 3]); my += Double(valid[i * 3 + 1]); mz += Double(valid[i * 3 + 2])
            }
            mx /= Double(n); my /= Double(n); mz /= Double(n)
        }
        var scale = 1.0
        if options.unitSphere {
            var maxSquared = 0.0
            for i in chosen {
                let x = Double(valid[i * 3]) - mx, y = Double(valid[i * 3 + 1]) - my, z = Double(valid[i * 3 + 2]) - mz
                let s = x * x + y * y + z * z
                if s > maxSquared { maxSquared = s }
            }
            // All points at the centre: leave them at zero rather than divide by zero.
            if maxSquared > 0 { scale = maxSquared.squareRoot() }
        }
        for (k, i) in chosen.enumerated() {
            let x = Float((Double(valid[i * 3]) - mx) / scale)
            let y = Float((Double(valid[i * 3 + 1]) - my) / scale)
            let z = Float((Double(valid[i * 3 + 2]) - mz) / scale)
            switch layout {
            case .pointsByCoordinates:
                out[k * 3] = x; out[k * 3 + 1] = y; out[k * 3 + 2] = z
            case .coordinatesByPoints:
                out[k] = x; out[n + k] = y; out[2 * n + k] = z
            }
        }
    }

    /// Convenience: the xyz fields of a decoded PCD frame through the pipeline.
    public static func prepare(cloud: PCDCloud, options: PointCloudPrepOptions,
                               layout: PointLayout) throws(PCDPrepareError) -> [Float] {
        let matrix: PCDMatrix<Float>
        do throws(PCDError) {
            matrix = try cloud.floatMatrix(fields: ["x", "y", "z"], dropInvalid: true)
        } catch {
            throw .pcd(error)
        }
        guard matrix.columns.count == 3 else {
            throw .notXYZ(columns: matrix.columns.count)
        }
        do throws(PreprocessError) {
            if matrix.rows == 0 { throw PreprocessError.noValidPoints(total: cloud.pointCount) }
            return try prepare(xyz: matrix.values, options: options, layout: layout)
        } catch {
            throw .preprocess(error)
        }
    }
}

/// A frame that could not become a model input: unreadable, or without usable points.
public enum PCDPrepareError: Error, Equatable, Sendable {
    case pcd(PCDError)
    case preprocess(PreprocessError)
    /// x, y and z must be single values (COUNT 1).
    case notXYZ(columns: Int)

    public var description: String {
        switch self {
        case .notXYZ(let columns): return "fields x, y, z give \(columns) values per point, 3 are needed (COUNT must be 1)"
        case .pcd(let e): return e.description
        case .preprocess(let e): return e.description
        }
    }
}
