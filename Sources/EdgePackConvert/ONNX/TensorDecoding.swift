import Foundation

/// TensorProto → Tensor, with every size taken from the file checked before use.
enum TensorDecoding {
    /// `context` names what holds the tensor in errors ("initializer", "Constant node ...").
    /// `external` reads tensors stored beside the model; without it they are an error.
    static func decode(_ p: Onnx_TensorProto, name: String, context: String, external: ExternalData? = nil) throws(ONNXError) -> Tensor {
        let isExternal = p.dataLocation == .external || !p.externalData.isEmpty
        if isExternal && external == nil {
            let loc = p.externalData.first { $0.key == "location" }?.value ?? "?"
            throw .externalData(tensor: name, location: loc)
        }
        if p.hasSegment { throw .badTensor(tensor: name, detail: "segmented tensors are not supported") }
        guard let dtype = DataType(rawValue: Int(p.dataType)) else {
            throw .unsupportedDataType(tensor: name, type: DataType.onnxName(Int(p.dataType)), context: context)
        }
        var shape: [Int] = []
        for d in p.dims {
            guard d >= 0, d <= Int64(Int32.max) else { throw .badTensor(tensor: name, detail: "dimension \(d) in shape \(p.dims)") }
            shape.append(Int(d))
        }
        guard let count = Tensor.elementCount(shape) else {
            throw .badTensor(tensor: name, detail: "shape \(p.dims) has too many elements")
        }
        if let external, isExternal {
            let (bytes, o) = count.multipliedReportingOverflow(by: dtype.rawSize)
            if o { throw .badTensor(tensor: name, detail: "shape \(shape) has too many bytes") }
            return Tensor(shape: shape, data: decodeRaw(try external.bytes(p, tensor: name, bytes: bytes), dtype: dtype, count: count))
        }
        if p.hasRawData {
            let raw = p.rawData
            let (bytes, o) = count.multipliedReportingOverflow(by: dtype.rawSize)
            guard !o, raw.count == bytes else {
                throw .badTensor(tensor: name, detail: "raw_data has \(raw.count) bytes, shape \(shape) of \(dtype) needs \(o ? "too many" : String(bytes))")
            }
            return Tensor(shape: shape, data: decodeRaw(raw, dtype: dtype, count: count))
        }
        let data: TensorData
        let found: Int
        switch dtype {
        case .float32: data = .float32(p.floatData); found = p.floatData.count
        case .float64: data = .float64(p.doubleData); found = p.doubleData.count
        case .int64: data = .int64(p.int64Data); found = p.int64Data.count
        case .int32: data = .int32(p.int32Data); found = p.int32Data.count
        case .bool: data = .bool(p.int32Data.map { $0 != 0 }); found = p.int32Data.count
        }
        guard found == count else {
            throw .badTensor(tensor: name, detail: "holds \(found) \(dtype) values, shape \(shape) needs \(count)")
        }
        return Tensor(shape: shape, data: data)
    }

    /// Little-endian fixed-width elements, as ONNX stores raw_data.
    private static func decodeRaw(_ raw: Data, dtype: DataType, count: Int) -> TensorData {
        raw.withUnsafeBytes { (b: UnsafeRawBufferPointer) -> TensorData in
            switch dtype {
            case .float32:
                return .float32((0..<count).map { Float(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) })
            case .float64:
                return .float64((0..<count).map { Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) })
            case .int64:
                return .int64((0..<count).map { Int64(littleEndian: b.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) })
            case .int32:
                return .int32((0..<count).map { Int32(littleEndian: b.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) })
            case .bool:
                return .bool((0..<count).map { b[$0] != 0 })
            }
        }
    }
}
