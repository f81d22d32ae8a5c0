// Sockets for RawHTTP on macOS; TestSocket+Linux.swift does the same on Linux. Written, not built here.
#if canImport(Darwin)
    import Darwin

    enum TestSocket {
        /// A new TCP socket (negative on failure) that raises no SIGPIPE: macOS has no MSG_NOSIGNAL.
        static func openTCP() -> Int32 {
            let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
            var on: Int32 = 1
            if socket >= 0 { setsockopt(socket, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size)) }
            return socket
        }

        /// Connects `socket` to 127.0.0.1:`port`; 0 on success.
        static func connectLoopback(_ socket: Int32, port: Int) -> Int32 {
            var address = sockaddr_in()
            address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Darwin.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }

        /// send()'s flags: none needed (the socket has SO_NOSIGPIPE).
        static let sendFlags: Int32 = 0
    }
#endif
