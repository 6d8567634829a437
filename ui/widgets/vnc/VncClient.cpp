// The worker thread runs libvncclient's loop on its end of a socket pair; the GUI thread pumps the other
// end to the WebSocket. Pitfalls this avoids (all seen with libvncclient 0.9.14): it connects by itself
// unless listenSpecified is set; a blocking fd hangs on a half-sent update (so O_NONBLOCK and a read
// timeout); on a socket pair it picks raw encoding unless told otherwise; bytes it already buffered are
// not seen by WaitForMessage; a failed rfbInitClient has freed the client and closed the fd already.
#include "ui/widgets/vnc/VncClient.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>
#include <QWebSocket>

#include <rfb/rfbclient.h>

#include <cerrno>
#include <csignal>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>

namespace cove::ui {

namespace {
constexpr int kPairBuffer = 4 * 1024 * 1024;
constexpr int kReadTimeoutSeconds = 15;
constexpr unsigned kPollMicros = 20000; // the longest a queued input waits for the loop
// What libvncclient last complained about on this thread: the reason a person is shown.
thread_local QString t_lastError;
int clientTag; // its address tags our data on the rfbClient

void logError(const char* format, ...) {
    char buffer[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    t_lastError = QString::fromLocal8Bit(buffer).trimmed();
}
void logNothing(const char*, ...) {}

void setNonBlocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}
} // namespace

// The worker's side: lives on its thread, owns the rfbClient, writes into the GUI's frame under its lock.
struct VncWorker {
    VncClient* owner;
    std::shared_ptr<std::atomic_bool> stop;
    QByteArray password;
    QRect dirty;
    QString refusal; // set when the server asked for something Cove will not do
    // The framebuffer allocate() made: libvncclient's cleanup leaves it to us (also when rfbInitClient
    // fails, having freed the client).
    uint8_t* frameBuffer = nullptr;

    static VncWorker* of(rfbClient* cl) {
        return static_cast<VncWorker*>(rfbClientGetClientData(cl, &clientTag));
    }

    static rfbBool allocate(rfbClient* cl) {
        VncWorker* w = of(cl);
        const int width = cl->width, height = cl->height;
        if (width <= 0 || height <= 0 || width > VncClient::kMaxSide || height > VncClient::kMaxSide) {
            w->refusal =
                QCoreApplication::translate("cove::ui::VncClient",
                                            "The desktop asked for a %1×%2 screen; Cove shows screens "
                                            "of up to %3×%3 pixels.")
                    .arg(width)
                    .arg(height)
                    .arg(VncClient::kMaxSide);
            return FALSE;
        }
        std::free(cl->frameBuffer);
        cl->frameBuffer = static_cast<uint8_t*>(std::calloc(size_t(width) * size_t(height), 4));
        w->frameBuffer = cl->frameBuffer;
        if (!cl->frameBuffer)
            return FALSE;
        {
            QMutexLocker lock(&w->owner->m_frameLock);
            w->owner->m_frame = QImage(width, height, QImage::Format_RGB32);
            w->owner->m_frame.fill(Qt::black);
        }
        w->dirty = {};
        VncClient* owner = w->owner;
        QMetaObject::invokeMethod(
            owner, [owner, width, height] { emit owner->frameResized(QSize(width, height)); },
            Qt::QueuedConnection);
        return TRUE;
    }

    static void updated(rfbClient* cl, int x, int y, int w, int h) {
        of(cl)->dirty |= QRect(x, y, w, h) & QRect(0, 0, cl->width, cl->height);
    }

    static void finishedUpdate(rfbClient* cl) {
        VncWorker* w = of(cl);
        const QRect r = w->dirty;
        w->dirty = {};
        if (r.isEmpty())
            return;
        {
            QMutexLocker lock(&w->owner->m_frameLock);
            QImage& frame = w->owner->m_frame;
            if (frame.width() != cl->width || frame.height() != cl->height)
                return;
            for (int row = r.top(); row <= r.bottom(); ++row)
                std::memcpy(frame.scanLine(row) + r.left() * 4,
                            cl->frameBuffer + (size_t(row) * size_t(cl->width) + size_t(r.left())) * 4,
                            size_t(r.width()) * 4);
        }
        VncClient* owner = w->owner;
        QMetaObject::invokeMethod(
            owner, [owner, r] { emit owner->frameUpdated(r); }, Qt::QueuedConnection);
    }

    static char* givePassword(rfbClient* cl) { return ::strdup(of(cl)->password.constData()); }

    static void cutText(rfbClient* cl, const char* text, int length) {
        // RFB's cut text is Latin-1; bound it like everything else the server sends.
        const QString s = QString::fromLatin1(text, std::min(length, 1 << 20));
        VncClient* owner = of(cl)->owner;
        QMetaObject::invokeMethod(
            owner, [owner, s] { emit owner->clipboardReceived(s); }, Qt::QueuedConnection);
    }

    void report(VncClient::State s, const QString& error) {
        VncClient* o = owner;
        QMetaObject::invokeMethod(
            o, [o, s, error] { o->setState(s, error); }, Qt::QueuedConnection);
    }

    void run(int fd) {
        rfbClientLog = logNothing;
        rfbClientErr = logError;
        t_lastError.clear();
        rfbClient* cl = rfbGetClient(8, 3, 4);
        cl->format.redShift = 16; // QImage::Format_RGB32
        cl->format.greenShift = 8;
        cl->format.blueShift = 0;
        cl->format.redMax = cl->format.greenMax = cl->format.blueMax = 255;
        cl->appData.encodingsString = "tight zrle ultra copyrect hextile zlib corre rre raw";
        cl->appData.compressLevel = 3;
        cl->appData.qualityLevel = 7;
        cl->appData.useRemoteCursor = FALSE;
        cl->canHandleNewFBSize = TRUE;
        cl->MallocFrameBuffer = allocate;
        cl->GotFrameBufferUpdate = updated;
        cl->FinishedFrameBufferUpdate = finishedUpdate;
        cl->GetPassword = givePassword;
        cl->GotXCutText = cutText;
        cl->sock = fd;
        cl->listenSpecified = TRUE;
        cl->readTimeout = kReadTimeoutSeconds;
        rfbClientSetClientData(cl, &clientTag, this);
        if (!rfbInitClient(cl, nullptr, nullptr)) { // it freed the client and closed fd
            std::free(std::exchange(frameBuffer, nullptr));
            report(VncClient::State::Failed, failure(QCoreApplication::translate(
                                                 "cove::ui::VncClient", "The desktop did not answer as a VNC "
                                                                        "server.")));
            return;
        }
        report(VncClient::State::Connected, {});
        QString why;
        while (!stop->load()) {
            std::deque<VncClient::Input> input;
            {
                QMutexLocker lock(&owner->m_inputLock);
                input.swap(owner->m_input);
            }
            for (auto& in : input) {
                if (in.kind == VncClient::Input::Pointer)
                    SendPointerEvent(cl, in.x, in.y, in.buttons);
                else if (in.kind == VncClient::Input::Key)
                    SendKeyEvent(cl, in.keysym, in.down ? TRUE : FALSE);
                else
                    SendClientCutText(cl, in.text.data(), int(in.text.size()));
            }
            if (cl->buffered == 0) {
                const int ready = WaitForMessage(cl, kPollMicros);
                if (ready < 0) {
                    why = failure({});
                    break;
                }
                if (ready == 0)
                    continue;
            }
            if (!HandleRFBServerMessage(cl)) {
                why = failure({});
                break;
            }
        }
        cl->frameBuffer = nullptr;
        // The server's cursor shape, which libvncclient's cleanup does not free either.
        std::free(std::exchange(cl->rcSource, nullptr));
        std::free(std::exchange(cl->rcMask, nullptr));
        rfbClientCleanup(cl);
        std::free(std::exchange(frameBuffer, nullptr));
        if (!stop->load())
            report(VncClient::State::Disconnected, why);
    }

    QString failure(const QString& fallback) const {
        if (!refusal.isEmpty())
            return refusal;
        return t_lastError.isEmpty() ? fallback : t_lastError;
    }
};

VncClient::VncClient(QObject* parent)
    : QObject(parent) {
    std::signal(SIGPIPE, SIG_IGN); // a write to a closed socket pair is an error to handle, not a death
}

VncClient::~VncClient() {
    close();
}

QSize VncClient::frameSize() const {
    QMutexLocker lock(&m_frameLock);
    return m_frame.size();
}

QImage VncClient::frame() const {
    QMutexLocker lock(&m_frameLock);
    return m_frame.copy();
}

void VncClient::open(const QNetworkRequest& tunnel, const QString& password) {
    close();
    m_password = password;
    m_error.clear();
    {
        QMutexLocker lock(&m_frameLock);
        m_frame = {};
    }
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        setState(State::Failed,
                 tr("Cannot make a socket pair: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
        return;
    }
    for (int fd : pair) {
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kPairBuffer, sizeof kPairBuffer);
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kPairBuffer, sizeof kPairBuffer);
        setNonBlocking(fd);
    }
    m_pumpFd = pair[0];
    m_workerFd = pair[1];
    m_readable = new QSocketNotifier(m_pumpFd, QSocketNotifier::Read, this);
    m_writable = new QSocketNotifier(m_pumpFd, QSocketNotifier::Write, this);
    m_writable->setEnabled(false);
    connect(m_readable, &QSocketNotifier::activated, this, &VncClient::pumpFromClient);
    connect(m_writable, &QSocketNotifier::activated, this, &VncClient::flushToClient);

    m_ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_ws, &QWebSocket::binaryMessageReceived, this, &VncClient::pumpToClient);
    connect(m_ws, &QWebSocket::connected, this, [this] {
        const int workerFd = std::exchange(m_workerFd, -1); // libvncclient's from now on
        m_stop = std::make_shared<std::atomic_bool>(false);
        auto worker = std::make_shared<VncWorker>();
        worker->owner = this;
        worker->stop = m_stop;
        worker->password = m_password.toUtf8();
        m_thread = QThread::create([worker, workerFd] { worker->run(workerFd); });
        m_thread->start();
    });
    connect(m_ws, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this, [this] {
        if (m_state == State::Connecting && !m_thread)
            setState(State::Failed,
                     tr("The desktop's tunnel could not be opened: %1").arg(m_ws->errorString()));
    });
    connect(m_ws, &QWebSocket::disconnected, this, [this] {
        const bool wasUp = m_state == State::Connected || m_state == State::Connecting;
        closePump(); // the worker reads the end of the stream and stops
        if (wasUp)
            setState(m_state == State::Connected ? State::Disconnected : State::Failed,
                     m_ws->closeReason().isEmpty()
                         ? (m_ws->error() == QAbstractSocket::UnknownSocketError ? tr("The tunnel closed.")
                                                                                 : m_ws->errorString())
                         : m_ws->closeReason());
    });
    setState(State::Connecting);
    m_ws->open(tunnel);
}

void VncClient::close() {
    stopWorker();
    closePump();
    if (m_ws) {
        m_ws->disconnect(this);
        m_ws->abort();
        m_ws->deleteLater();
        m_ws = nullptr;
    }
    m_pending.clear();
    {
        QMutexLocker lock(&m_inputLock);
        m_input.clear();
    }
    if (m_state == State::Connecting || m_state == State::Connected)
        setState(State::Idle);
}

void VncClient::stopWorker() {
    if (!m_thread)
        return;
    m_stop->store(true);
    closePump(); // first: a worker blocked in a read sees the end of the stream
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

void VncClient::closePump() {
    if (m_workerFd >= 0) { // never handed to a worker
        ::close(m_workerFd);
        m_workerFd = -1;
    }
    delete m_readable;
    m_readable = nullptr;
    delete m_writable;
    m_writable = nullptr;
    if (m_pumpFd >= 0) {
        ::shutdown(m_pumpFd, SHUT_RDWR);
        ::close(m_pumpFd);
        m_pumpFd = -1;
    }
}

void VncClient::setState(State s, const QString& error) {
    if (s == State::Disconnected || s == State::Failed) {
        if (m_state == State::Disconnected || m_state == State::Failed || m_state == State::Idle)
            return; // the first reason stands (the tunnel and the worker both notice an end)
        m_error = error.isEmpty() ? tr("The connection to the desktop ended.") : error;
    } else {
        m_error.clear();
    }
    if (s == m_state)
        return;
    m_state = s;
    emit stateChanged(s);
    if (s == State::Disconnected || s == State::Failed) {
        // Whichever side noticed the end first, the other side goes too.
        QMetaObject::invokeMethod(
            this,
            [this] {
                if (m_ws)
                    m_ws->close();
                closePump();
            },
            Qt::QueuedConnection);
    }
}

void VncClient::pumpFromClient() {
    char buffer[256 * 1024];
    for (;;) {
        const ssize_t n = ::read(m_pumpFd, buffer, sizeof buffer);
        if (n > 0) {
            if (m_ws)
                m_ws->sendBinaryMessage(QByteArray(buffer, int(n)));
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            if (m_readable)
                m_readable->setEnabled(false); // the worker is gone; its report follows
        }
        return;
    }
}

void VncClient::pumpToClient(const QByteArray& bytes) {
    m_pending += bytes;
    flushToClient();
}

void VncClient::flushToClient() {
    while (!m_pending.isEmpty() && m_pumpFd >= 0) {
        const ssize_t n = ::write(m_pumpFd, m_pending.constData(), size_t(m_pending.size()));
        if (n > 0) {
            m_pending.remove(0, int(n));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        break; // full (EAGAIN): wait until it drains; closed: the worker's report follows
    }
    if (m_writable)
        m_writable->setEnabled(!m_pending.isEmpty());
}

void VncClient::sendPointer(QPoint at, int buttons) {
    QMutexLocker lock(&m_inputLock);
    Input in{Input::Pointer};
    in.x = at.x();
    in.y = at.y();
    in.buttons = buttons;
    m_input.push_back(std::move(in));
}

void VncClient::sendKey(quint32 keysym, bool down) {
    QMutexLocker lock(&m_inputLock);
    Input in{Input::Key};
    in.keysym = keysym;
    in.down = down;
    m_input.push_back(std::move(in));
}

void VncClient::sendClipboard(const QString& text) {
    QMutexLocker lock(&m_inputLock);
    Input in{Input::Clipboard};
    in.text = text.toLatin1();
    m_input.push_back(std::move(in));
}

quint32 keysymFor(int qtKey, const QString& text, Qt::KeyboardModifiers modifiers) {
    static const QHash<int, quint32> special{
        {Qt::Key_Escape, 0xff1b},    {Qt::Key_Tab, 0xff09},     {Qt::Key_Backtab, 0xff09},
        {Qt::Key_Backspace, 0xff08}, {Qt::Key_Return, 0xff0d},  {Qt::Key_Enter, 0xff0d},
        {Qt::Key_Insert, 0xff63},    {Qt::Key_Delete, 0xffff},  {Qt::Key_Pause, 0xff13},
        {Qt::Key_Print, 0xff61},     {Qt::Key_SysReq, 0xff15},  {Qt::Key_Home, 0xff50},
        {Qt::Key_End, 0xff57},       {Qt::Key_Left, 0xff51},    {Qt::Key_Up, 0xff52},
        {Qt::Key_Right, 0xff53},     {Qt::Key_Down, 0xff54},    {Qt::Key_PageUp, 0xff55},
        {Qt::Key_PageDown, 0xff56},  {Qt::Key_Shift, 0xffe1},   {Qt::Key_Control, 0xffe3},
        {Qt::Key_Meta, 0xffeb},      {Qt::Key_Alt, 0xffe9},     {Qt::Key_AltGr, 0xfe03},
        {Qt::Key_CapsLock, 0xffe5},  {Qt::Key_NumLock, 0xff7f}, {Qt::Key_ScrollLock, 0xff14},
        {Qt::Key_Menu, 0xff67},      {Qt::Key_Super_L, 0xffeb}, {Qt::Key_Super_R, 0xffec},
        {Qt::Key_Space, 0x0020},
    };
    if (const auto it = special.find(qtKey); it != special.end())
        return it.value();
    if (qtKey >= Qt::Key_F1 && qtKey <= Qt::Key_F35)
        return 0xffbe + quint32(qtKey - Qt::Key_F1);
    // Printable text is its own keysym (Latin-1 directly, the rest as Unicode keysyms).
    if (!text.isEmpty() && text.at(0).isPrint()) {
        const char32_t c = text.toUcs4().value(0);
        return c < 0x100 ? quint32(c) : 0x01000000u | quint32(c);
    }
    // With Ctrl the text is a control character: the key itself says which letter.
    if (qtKey >= 0x20 && qtKey <= 0x7e) {
        const bool shift = modifiers & Qt::ShiftModifier;
        return quint32(qtKey >= Qt::Key_A && qtKey <= Qt::Key_Z && !shift ? qtKey + 0x20 : qtKey);
    }
    return 0;
}

} // namespace cove::ui
