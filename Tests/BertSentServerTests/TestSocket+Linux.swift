// Sockets for RawHTTP on Linux; TestSocket+Darwin.swift does the same on macOS.
#if os(Linux)
    import Glibc

    enum TestSocket {
        /// A new TCP socket (negative on failure).
        static func openTCP() -> Int32 { Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0) }

        /// Connects `socket` to 127.0.0.1:`port`; 0 on success.
        static func connectLoopback(_ socket: Int32, port: Int) -> Int32 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }

        /// send()'s flags: no SIGPIPE when the server has already closed.
        static let sendFlags = Int32(MSG_NOSIGNAL)
    }
#endif
