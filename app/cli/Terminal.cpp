// `cove-cli sandbox ssh`: the toolbox's PTY socket on the local terminal. Raw mode hands every key (Ctrl-C
// included) to the sandbox's shell; SIGWINCH resizes the remote terminal. Without a local terminal, stdin
// is typed input and its end is a Ctrl-D.
#include "app/cli/Command.h"

#include "app/ToolboxApi.h"

#include <QSocketNotifier>
#include <QTimer>
#include <QUuid>

#include <csignal>
#include <memory>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

namespace cove::cli {

namespace {

// The local terminal's size; 80x24 when there is none.
QPair<int, int> terminalSize() {
    winsize ws = {};
    for (int fd : {0, 1, 2})
        if (::ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
            return {ws.ws_col, ws.ws_row};
    return {80, 24};
}

// The terminal in raw mode while it lives; put back as it was, however the command ends.
class RawMode {
public:
    RawMode() {
        if (::tcgetattr(0, &m_saved) != 0)
            return;
        termios raw = m_saved;
        ::cfmakeraw(&raw);
        m_on = ::tcsetattr(0, TCSANOW, &raw) == 0;
    }
    ~RawMode() {
        if (m_on)
            ::tcsetattr(0, TCSANOW, &m_saved);
    }

private:
    termios m_saved = {};
    bool m_on = false;
};

} // namespace

int runTerminal(Context& c, const Parsed& p) {
    const QString id = p.args.first();
    // The socket says little when it is refused; the sandbox's own answer gives the exit code.
    const app::ApiResult s = c.get(sandboxPath(id));
    if (!s.ok)
        return c.fail(s);
    const QString state = s.json.object().value(QStringLiteral("state")).toString();
    if (state != QLatin1String("started")) {
        printErr(QStringLiteral(
                     "cove-cli: sandbox %1 is %2, not started; start it with `cove-cli sandbox start %1`.")
                     .arg(id, state));
        return kConflict;
    }
    const QString sandboxId = s.json.object().value(QStringLiteral("id")).toString();
    const bool tty = stdinIsTerminal();
    const auto [cols, rows] = terminalSize();
    app::ToolboxApi toolbox(&c.client());
    QEventLoop loop;
    const QString ptyId = QStringLiteral("cove-cli-") + QUuid::createUuid().toString(QUuid::Id128).left(12);
    app::PtySession* pty =
        toolbox.openTerminal(sandboxId, ptyId, cols, rows, p.value(QStringLiteral("cwd")), &loop);
    int exitCode = kFailed;
    QString error;
    QObject::connect(pty, &app::PtySession::output, &loop, [](const QByteArray& b) { writeOut(b); });
    QObject::connect(pty, &app::PtySession::finished, &loop, [&](int code, const QString& e) {
        exitCode = code;
        error = e;
        loop.quit();
    });
    std::unique_ptr<RawMode> raw;
    QSocketNotifier input(0, QSocketNotifier::Read);
    input.setEnabled(false);
    QObject::connect(&input, &QSocketNotifier::activated, &loop, [&] {
        char buf[4096];
        const ssize_t n = ::read(0, buf, sizeof buf);
        if (n > 0)
            return pty->send(QByteArray(buf, n));
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            return;
        input.setEnabled(false);
        if (!tty)
            pty->send(QByteArrayLiteral("\x04")); // the end of the input, as typed
    });
    // Typing starts once the shell is there: input sent before would be lost.
    QObject::connect(pty, &app::PtySession::connected, &loop, [&] {
        if (tty)
            raw = std::make_unique<RawMode>();
        input.setEnabled(true);
    });
    int interrupted = 0;
    SignalWatch watch({SIGINT, SIGTERM, SIGHUP, SIGWINCH}, [&](int sig) {
        if (sig == SIGWINCH) {
            const auto [w, h] = terminalSize();
            pty->resize(w, h);
            return;
        }
        interrupted = sig;
        loop.quit();
    });
    loop.exec();
    raw.reset();
    if (interrupted) {
        QEventLoop killed;
        pty->kill();
        // The kill is sent before leaving; its answer does not matter.
        QObject::connect(pty, &app::PtySession::finished, &killed, &QEventLoop::quit);
        QTimer::singleShot(2000, &killed, &QEventLoop::quit);
        killed.exec();
        return 128 + interrupted;
    }
    if (exitCode < 0) {
        printErr(QStringLiteral("cove-cli: the terminal connection failed (%1).").arg(error));
        return kFailed;
    }
    return exitCode & 0xff;
}

} // namespace cove::cli
