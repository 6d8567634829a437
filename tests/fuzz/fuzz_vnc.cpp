// The dashboard's VNC client against a hostile desktop (ui/widgets/vnc/VncClient.cpp): libvncclient runs
// on one end of a socket pair with Cove's callbacks (the framebuffer allocator with its size cap, the
// dirty-rectangle clipping and the copy into the GUI's frame), and the other end holds an RFB server's
// greeting (version, no authentication) followed by the input: ServerInit (the screen size and pixel
// format) and whatever messages come after. Invariants: a screen larger than VncClient::kMaxSide on a side,
// or empty, is refused with a message and never allocated; a frame that exists has the size the server
// announced within the cap; the framebuffer is freed when the session ends (LeakSanitizer); every copy stays
// inside both buffers (AddressSanitizer checks the memcpy).
#include "FuzzCheck.h"

// The worker is private to VncClient.cpp: the target runs it as the client's thread would.
#include "ui/widgets/vnc/VncClient.cpp"

#include <QCoreApplication>

#include <sys/socket.h>

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    static QCoreApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using cove::ui::VncClient;
    if (size < 4)
        return 0;
    int pair[2];
    FUZZ_CHECK(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0);
    int buffer = 4 << 20;
    ::setsockopt(pair[0], SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    // RFB 3.8 with no authentication, then the input from ServerInit on; then the server hangs up.
    std::string server = "RFB 003.008\n";
    server += std::string("\x01\x01", 2);         // one security type: None
    server += std::string("\x00\x00\x00\x00", 4); // SecurityResult: OK
    server.append(reinterpret_cast<const char*>(data), size);
    FUZZ_CHECK(::write(pair[0], server.data(), server.size()) == static_cast<ssize_t>(server.size()));
    ::shutdown(pair[0], SHUT_WR);
    const int width = (data[0] << 8) | data[1], height = (data[2] << 8) | data[3];

    VncClient client;
    cove::ui::VncWorker worker;
    worker.owner = &client;
    worker.stop = std::make_shared<std::atomic_bool>(false);
    worker.run(pair[1]); // returns once the server's bytes run out (libvncclient closes its end)
    ::close(pair[0]);
    QCoreApplication::sendPostedEvents();

    const bool fits =
        width > 0 && height > 0 && width <= VncClient::kMaxSide && height <= VncClient::kMaxSide;
    const QSize frame = client.frameSize();
    if (!fits) {
        FUZZ_CHECK(frame.isEmpty());
        // Refused (when the greeting got as far as the size) with the reason a person is shown.
        if (!worker.refusal.isEmpty())
            FUZZ_CHECK(worker.failure({}) == worker.refusal &&
                       worker.refusal.contains(QString("%1×%2").arg(width).arg(height)));
    } else if (!frame.isEmpty()) {
        FUZZ_CHECK(frame.width() <= VncClient::kMaxSide && frame.height() <= VncClient::kMaxSide);
    }
    return 0;
}
