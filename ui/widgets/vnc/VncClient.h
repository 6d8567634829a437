// A VNC client on libvncclient, in KRDC's model: one thread owns the rfbClient; pointer, keys and
// clipboard are queued to it; frames come back as a QImage and the rectangles that changed. The RFB bytes
// travel through a socket pair whose other end is pumped to a WebSocket (coved's computer-use tunnel),
// so the desktop is reachable even when the sandbox's network is blocked.
//
// Everything the server sends is bounded: a screen larger than kMaxSide on a side is refused with a
// message instead of allocated, a message cut off mid-way times out instead of hanging, and a tunnel
// that drops ends the session with "Disconnected".
#pragma once

#include <QByteArray>
#include <QImage>
#include <QMutex>
#include <QNetworkRequest>
#include <QObject>
#include <QPoint>
#include <QPointer>
#include <QRect>
#include <QString>

#include <atomic>
#include <deque>
#include <memory>

class QSocketNotifier;
class QThread;
class QWebSocket;

namespace cove::ui {

class VncClient : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, Connected, Disconnected, Failed };
    Q_ENUM(State)
    static constexpr int kMaxSide = 8192;

    explicit VncClient(QObject* parent = nullptr);
    ~VncClient() override;

    // Opens the WebSocket `tunnel` (its URL and headers) and speaks RFB over it, with `password` for
    // VNC authentication (empty: none offered).
    void open(const QNetworkRequest& tunnel, const QString& password);
    void close();

    State state() const { return m_state; }
    QString errorText() const { return m_error; }
    QSize frameSize() const;
    // A copy of the current frame (thread-safe).
    QImage frame() const;
    // Paints the part `source` of the frame, under the frame's lock (no copy).
    template <typename Painter> void withFrame(Painter&& p) const {
        QMutexLocker lock(&m_frameLock);
        p(m_frame);
    }

    // Input, queued to the client's thread. Buttons: bit 0 left, 1 middle, 2 right, 3/4 wheel up/down.
    void sendPointer(QPoint at, int buttons);
    void sendKey(quint32 keysym, bool down);
    void sendClipboard(const QString& text);

signals:
    void stateChanged(cove::ui::VncClient::State state);
    void frameResized(QSize size);
    void frameUpdated(QRect rect);
    void clipboardReceived(const QString& text);

private:
    friend struct VncWorker;
    struct Input {
        enum Kind { Pointer, Key, Clipboard } kind;
        int x = 0, y = 0, buttons = 0;
        quint32 keysym = 0;
        bool down = false;
        QByteArray text;
    };

    void setState(State s, const QString& error = {});
    void pumpFromClient();
    void pumpToClient(const QByteArray& bytes);
    void flushToClient();
    void startWorker();
    void stopWorker();
    void closePump();

    QWebSocket* m_ws = nullptr;
    int m_pumpFd = -1;   // our end of the socket pair
    int m_workerFd = -1; // the other end until a worker (libvncclient) takes it
    QSocketNotifier* m_readable = nullptr;
    QSocketNotifier* m_writable = nullptr;
    QByteArray m_pending; // tunnel bytes the socket pair could not take yet
    QThread* m_thread = nullptr;
    std::shared_ptr<std::atomic_bool> m_stop;
    QString m_password;
    State m_state = State::Idle;
    QString m_error;

    mutable QMutex m_frameLock;
    QImage m_frame; // the GUI's copy, updated by the worker per batch of rectangles

    QMutex m_inputLock;
    std::deque<Input> m_input;
};

// The X keysym for a key event's key and text; 0 when there is none.
quint32 keysymFor(int qtKey, const QString& text, Qt::KeyboardModifiers modifiers);

} // namespace cove::ui
