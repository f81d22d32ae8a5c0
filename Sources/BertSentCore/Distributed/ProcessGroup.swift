import Foundation
import Synchronization

/// The processes of one job and the collective operations among them: this process alone, or the ranks
/// `mpirun` started, over Open MPI (loaded at run time, see `OpenMPILibrary`; `BERTSENT_MPI_LIBRARY` names
/// the library file when it is not where the system's loader looks). Every rank must make the
/// same collective calls in the same order; rank 0 is the one that writes and reports.
public final class ProcessGroup: Sendable {
    /// This process's index among the ranks, 0..<size.
    public let rank: Int
    /// How many processes the job has.
    public let size: Int
    private let mpi: OpenMPILibrary?

    private init(rank: Int, size: Int, mpi: OpenMPILibrary?) {
        self.rank = rank
        self.size = size
        self.mpi = mpi
    }

    /// This process alone.
    public static let single = ProcessGroup(rank: 0, size: 1, mpi: nil)

    /// Whether this is rank 0, the one that writes files and prints progress.
    public var isRoot: Bool { rank == 0 }

    /// The environment variable an MPI launcher sets and the ranks it started, when this process was
    /// started by one for more than one rank (Open MPI's `mpirun` sets OMPI_COMM_WORLD_SIZE, Hydra's and
    /// Slurm's PMI launchers PMI_SIZE).
    public static func launcher(environment: [String: String]) -> (variable: String, size: Int)? {
        for variable in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"] {
            if let size = environment[variable].flatMap(Int.init), size > 1 { return (variable, size) }
        }
        return nil
    }

    private static let world = Mutex<Result<ProcessGroup, DistributedError>?>(nil)

    /// The job this process belongs to: under an MPI launcher, its ranks (MPI is initialised on the first
    /// call); otherwise this process alone.
    /// - Throws: `DistributedError.mpiUnavailable` when a launcher started this process but Open MPI's
    ///   library cannot be loaded, so the ranks would otherwise run as independent copies.
    public static func current() throws(DistributedError) -> ProcessGroup {
        try world.withLock { cached in
            if let cached { return cached }
            let made = Result { () throws(DistributedError) -> ProcessGroup in try start() }
            cached = made
            return made
        }.get()
    }

    private static func start() throws(DistributedError) -> ProcessGroup {
        let environment = ProcessInfo.processInfo.environment
        guard let (variable, size) = launcher(environment: environment) else { return .single }
        let mpi: OpenMPILibrary
        do { mpi = try OpenMPILibrary.load(environment: environment) } catch {
            throw .mpiUnavailable(variable: variable, size: size, reason: error.reason)
        }
        guard mpi.initialize(nil, nil) == 0 else {
            throw .mpiUnavailable(variable: variable, size: size, reason: "MPI_Init failed")
        }
        var rank: Int32 = 0, count: Int32 = 0
        guard mpi.commRank(mpi.world, &rank) == 0, mpi.commSize(mpi.world, &count) == 0 else {
            throw .mpiUnavailable(variable: variable, size: size, reason: "MPI could not say this process's rank")
        }
        return ProcessGroup(rank: Int(rank), size: Int(count), mpi: mpi)
    }

    /// Ends MPI on this rank, after its last collective call (a no-op for a process alone). Call once,
    /// before exiting normally.
    public static func finish() {
        world.withLock { cached in
            if case .success(let group)? = cached, let mpi = group.mpi { _ = mpi.finalize() }
        }
    }

    /// Stops every rank of the job with exit code `code` (for a process alone, exits).
    public func abort(code: Int32) -> Never {
        if let mpi { _ = mpi.abort(mpi.world, code) }
        exit(code)
    }

    /// Waits until every rank has called it.
    public func barrier() throws(DistributedError) {
        guard let mpi else { return }
        try check("MPI_Barrier", mpi.barrier(mpi.world))
    }

    /// Replaces `values[0..<count]` with their sum over the ranks (element by element), on every rank.
    public func sum(_ values: UnsafeMutablePointer<Float>, count: Int) throws(DistributedError) {
        guard let mpi else { return }
        // MPI counts are 32-bit; larger buffers go in pieces.
        var done = 0
        while done < count {
            let piece = min(count - done, Int(Int32.max))
            try check(
                "MPI_Allreduce",
                mpi.allreduce(
                    UnsafeRawPointer(bitPattern: 1), values + done, Int32(piece), mpi.float, mpi.sum, mpi.world))
            done += piece
        }
    }

    /// `values` summed over the ranks, element by element, on every rank.
    public func sum(_ values: [Double]) throws(DistributedError) -> [Double] {
        guard let mpi else { return values }
        var total = [Double](repeating: 0, count: values.count)
        let code = values.withUnsafeBytes { send in
            total.withUnsafeMutableBytes { receive in
                mpi.allreduce(
                    send.baseAddress, receive.baseAddress, Int32(values.count), mpi.double, mpi.sum, mpi.world)
            }
        }
        try check("MPI_Allreduce", code)
        return total
    }

    /// Rank `root`'s `data`, on every rank.
    public func broadcast(_ data: Data, from root: Int = 0) throws(DistributedError) -> Data {
        guard let mpi else { return data }
        var count = [Int64(data.count)]
        try check("MPI_Bcast", mpi.broadcast(&count, 1, mpi.int64, Int32(root), mpi.world))
        var bytes = rank == root ? [UInt8](data) : [UInt8](repeating: 0, count: Int(count[0]))
        try check("MPI_Bcast", mpi.broadcast(&bytes, Int32(bytes.count), mpi.byte, Int32(root), mpi.world))
        return Data(bytes)
    }

    /// Every rank's `data`, in rank order, on rank `root`; nil on the others.
    public func gather(_ data: Data, to root: Int = 0) throws(DistributedError) -> [Data]? {
        guard let mpi else { return [data] }
        var counts = [Int64](repeating: 0, count: size)
        var mine = Int64(data.count)
        try check("MPI_Gather", mpi.gather(&mine, 1, mpi.int64, &counts, 1, mpi.int64, Int32(root), mpi.world))
        let sizes = counts.map { Int32($0) }
        let offsets = sizes.reduce(into: [Int32(0)]) { $0.append($0.last! + $1) }
        var all = [UInt8](repeating: 0, count: Int(offsets.last!))
        let code = data.withUnsafeBytes { send in
            mpi.gatherv(send.baseAddress, Int32(mine), mpi.byte, &all, sizes, offsets, mpi.byte, Int32(root), mpi.world)
        }
        try check("MPI_Gatherv", code)
        guard rank == root else { return nil }
        return (0..<size).map { Data(all[Int(offsets[$0])..<Int(offsets[$0 + 1])]) }
    }

    private func check(_ function: String, _ code: Int32) throws(DistributedError) {
        guard code == 0 else { throw .callFailed(function: function, code: code) }
    }
}
