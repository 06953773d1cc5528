import CEdgePackSys

/// Refuses an output path that names one of the inputs (the same file by device and inode, or
/// the same resolved path when the output does not exist yet), before anything is written.
public func refuseOverwritingInputs(output: String, inputs: [String]) throws(AppError) {
    for input in inputs {
        let same = output.withCString { o in input.withCString { i in ep_same_file(o, i) } }
        if same == 1 { throw AppError(usage: "refusing to write " + output + ": it is the input " + input) }
    }
}
