import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Open MPI's C library, loaded at run time (dlopen), so bertsent builds and runs without MPI installed
/// and uses it only when `mpirun` started it. Open MPI's handles (`MPI_COMM_WORLD`, `MPI_FLOAT`, `MPI_SUM`)
/// are the addresses of its exported globals, which `dlsym` gives.
// Sendable by hand: addresses that never change once loaded.
struct OpenMPILibrary: @unchecked Sendable {
    typealias Handle = OpaquePointer
    typealias Arguments = UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
    typealias Initialize = @convention(c) (UnsafeMutablePointer<Int32>?, Arguments?) -> Int32
    typealias Finalize = @convention(c) () -> Int32
    typealias CommQuery = @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    typealias Allreduce =
        @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Handle, Handle, Handle)
        -> Int32
    typealias Broadcast = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle, Int32, Handle) -> Int32
    typealias Barrier = @convention(c) (Handle) -> Int32
    typealias Gather =
        @convention(c) (
            UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, Int32, Handle, Int32, Handle
        ) -> Int32
    typealias Gatherv =
        @convention(c) (
            UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, UnsafePointer<Int32>?, UnsafePointer<Int32>?,
            Handle, Int32, Handle
        ) -> Int32
    typealias Abort = @convention(c) (Handle, Int32) -> Int32

    let world: Handle
    let float: Handle
    let double: Handle
    let byte: Handle
    let int64: Handle
    let sum: Handle
    let initialize: Initialize
    let finalize: Finalize
    let commRank: CommQuery
    let commSize: CommQuery
    let allreduce: Allreduce
    let broadcast: Broadcast
    let barrier: Barrier
    let gather: Gather
    let gatherv: Gatherv
    let abort: Abort

    /// The library file names tried, Debian's first, unless `BERTSENT_MPI_LIBRARY` names the one to load.
    static func names(environment: [String: String]) -> [String] {
        if let path = environment["BERTSENT_MPI_LIBRARY"], !path.isEmpty { return [path] }
        return ["libmpi.so.40", "libmpi.so", "libmpi.40.dylib", "libmpi.dylib"]
    }

    /// Why the library could not be used, for a person to act on.
    struct LoadFailure: Error {
        let reason: String
    }

    /// Loads the library and looks up what bertsent calls.
    static func load(environment: [String: String]) throws(LoadFailure) -> OpenMPILibrary {
        let names = names(environment: environment)
        // RTLD_GLOBAL: Open MPI's plugins, which the library loads itself, look up its symbols.
        guard let library = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_GLOBAL) }).first else {
            let why = dlerror().map { String(cString: $0) } ?? "not found"
            throw LoadFailure(
                reason: "Open MPI's library could not be loaded (tried \(names.joined(separator: ", ")); \(why))")
        }
        func symbol(_ name: String) throws(LoadFailure) -> UnsafeMutableRawPointer {
            guard let address = dlsym(library, name) else {
                throw LoadFailure(reason: "the MPI library has no \(name): bertsent needs Open MPI, not another MPI")
            }
            return address
        }
        func function<F>(_ name: String) throws(LoadFailure) -> F { unsafeBitCast(try symbol(name), to: F.self) }
        func handle(_ name: String) throws(LoadFailure) -> Handle { OpaquePointer(try symbol(name)) }
        return OpenMPILibrary(
            world: try handle("ompi_mpi_comm_world"), float: try handle("ompi_mpi_float"),
            double: try handle("ompi_mpi_double"), byte: try handle("ompi_mpi_byte"),
            int64: try handle("ompi_mpi_int64_t"), sum: try handle("ompi_mpi_op_sum"),
            initialize: try function("MPI_Init"), finalize: try function("MPI_Finalize"),
            commRank: try function("MPI_Comm_rank"), commSize: try function("MPI_Comm_size"),
            allreduce: try function("MPI_Allreduce"), broadcast: try function("MPI_Bcast"),
            barrier: try function("MPI_Barrier"), gather: try function("MPI_Gather"),
            gatherv: try function("MPI_Gatherv"), abort: try function("MPI_Abort"))
    }
}
