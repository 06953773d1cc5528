/// A command both programs offer: its command line and what it does with the parsed values.
public enum AppCommand: CaseIterable, Sendable {
    case inspect, run, bench, kws, kwsEval, pointCloud, pcd, kernelBench

    public var spec: CommandSpec {
        switch self {
        case .inspect: InspectCommandLine.spec
        case .run: RunCommandLine.spec
        case .bench: BenchCommandLine.spec
        case .kws: KWSCommandLine.spec
        case .kwsEval: KWSCommandLine.evalSpec
        case .pointCloud: PointCloudCommandLine.spec
        case .pcd: PCDCommandLine.spec
        case .kernelBench: KernelBenchCommandLine.spec
        }
    }

    public func run(_ p: ParsedCommandLine) throws(AppError) -> ExitStatus {
        switch self {
        case .inspect: try InspectCommandLine.run(p)
        case .run: try RunCommandLine.run(p)
        case .bench: try BenchCommandLine.run(p)
        case .kws: try KWSCommandLine.run(p)
        case .kwsEval: try KWSCommandLine.runEval(p)
        case .pointCloud: try PointCloudCommandLine.run(p)
        case .pcd: try PCDCommandLine.run(p)
        case .kernelBench: try KernelBenchCommandLine.run(p)
        }
    }
}
