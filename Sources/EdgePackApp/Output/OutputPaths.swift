import CEdgePackSys
import EdgePackRuntime

/// Refuses an output path that names one of the inputs (the same file by device and inode, or
/// the same resolved path when the output does not exist yet), before anything is written.
public func refuseOverwritingInputs(output: String, inputs: [String]) throws(AppError) {
    for input in inputs {
        let same = PathText.withPath(output) { o in PathText.withPath(input) { i in ep_same_file(o, i) } }
        if same == 1 { throw AppError(usage: "refusing to write " + PathText.escaped(output) + ": it is the input " + PathText.escaped(input)) }
    }
}
