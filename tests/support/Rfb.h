// A minimal RFB (VNC) client over a WebSocket, for the computer-use tests and benchmark: the version
// handshake, VNC password authentication (DES challenge), ClientInit/ServerInit, and the few client
// messages the tests send. Blocking calls that run the event loop until the bytes arrive.
#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QNetworkRequest>
#include <QWebSocket>
#include <QtEndian>

#include <openssl/des.h>

#include <functional>

namespace cove::test {

class RfbClient {
public:
    RfbClient() {
        QObject::connect(&m_ws, &QWebSocket::binaryMessageReceived,
                         [this](const QByteArray& b) { m_in += b; });
        QObject::connect(&m_ws, &QWebSocket::disconnected, [this] { m_closed = true; });
    }

    // Opens ws(s)://.../computeruse/vnc; false when the upgrade is refused.
    bool open(const QString& url, const QString& key, const QByteArray& protocol = "binary",
              int timeoutMs = 15000) {
        QNetworkRequest req{QUrl(url)};
        if (!key.isEmpty())
            req.setRawHeader("Authorization", "Bearer " + key.toUtf8());
        if (!protocol.isEmpty())
            req.setRawHeader("Sec-WebSocket-Protocol", protocol);
        m_ws.open(req);
        return waitFor([this] { return m_ws.state() == QAbstractSocket::ConnectedState || m_closed; },
                       timeoutMs) &&
               m_ws.state() == QAbstractSocket::ConnectedState;
    }
    QWebSocket& socket() { return m_ws; }
    bool closed() const { return m_closed; }

    // Runs the event loop until `done` or the timeout.
    static bool waitFor(const std::function<bool()>& done, int timeoutMs) {
        QDeadlineTimer deadline(timeoutMs);
        while (!done()) {
            if (deadline.hasExpired())
                return false;
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 20);
        }
        return true;
    }

    // Exactly n bytes, or fewer when the stream ends or the timeout passes.
    QByteArray read(int n, int timeoutMs = 10000) {
        waitFor([&] { return m_in.size() >= n || m_closed; }, timeoutMs);
        const QByteArray out = m_in.left(n);
        m_in.remove(0, out.size());
        return out;
    }
    qsizetype buffered() const { return m_in.size(); }
    void send(const QByteArray& b) { m_ws.sendBinaryMessage(b); }

    // VNC authentication's answer: the challenge encrypted with DES keyed by the password, each key
    // byte's bits mirrored (RFB 6.2.2 as every VNC implementation reads it).
    static QByteArray vncResponse(const QByteArray& challenge, const QByteArray& password) {
        DES_cblock key{};
        for (int i = 0; i < 8 && i < password.size(); ++i) {
            unsigned char c = static_cast<unsigned char>(password[i]), r = 0;
            for (int bit = 0; bit < 8; ++bit)
                if (c & (1u << bit))
                    r |= static_cast<unsigned char>(0x80u >> bit);
            key[i] = r;
        }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        DES_key_schedule schedule;
        DES_set_key_unchecked(&key, &schedule);
        QByteArray out(16, '\0');
        for (int block = 0; block < 2; ++block) {
            DES_cblock in, enc;
            memcpy(in, challenge.constData() + block * 8, 8);
            DES_ecb_encrypt(&in, &enc, &schedule, DES_ENCRYPT);
            memcpy(out.data() + block * 8, enc, 8);
        }
#pragma GCC diagnostic pop
        return out;
    }

    struct Init {
        QByteArray version;       // the server's "RFB 003.00x\n"
        QList<int> securityTypes; // what the server offered
        quint32 securityResult = 0xffffffff;
        int width = 0, height = 0;
        QString error;
    };

    // The handshake up to ServerInit with VNC authentication (type 2).
    Init handshake(const QByteArray& password) {
        Init r;
        r.version = read(12);
        if (!r.version.startsWith("RFB 003.")) {
            r.error = QStringLiteral("no RFB greeting");
            return r;
        }
        send("RFB 003.008\n");
        const QByteArray count = read(1);
        if (count.isEmpty() || count[0] == 0) {
            r.error = QStringLiteral("no security types");
            return r;
        }
        for (char t : read(static_cast<unsigned char>(count[0])))
            r.securityTypes << static_cast<unsigned char>(t);
        if (!r.securityTypes.contains(2)) {
            r.error = QStringLiteral("VNC authentication not offered");
            return r;
        }
        send(QByteArray(1, '\x02'));
        const QByteArray challenge = read(16);
        if (challenge.size() != 16) {
            r.error = QStringLiteral("no challenge");
            return r;
        }
        send(vncResponse(challenge, password));
        const QByteArray result = read(4);
        if (result.size() != 4) {
            r.error = QStringLiteral("no security result");
            return r;
        }
        r.securityResult = qFromBigEndian<quint32>(result.constData());
        if (r.securityResult != 0) {
            r.error = QStringLiteral("authentication failed");
            return r;
        }
        send(QByteArray(1, '\x01')); // ClientInit: shared
        const QByteArray init = read(24);
        if (init.size() != 24) {
            r.error = QStringLiteral("no ServerInit");
            return r;
        }
        r.width = qFromBigEndian<quint16>(init.constData());
        r.height = qFromBigEndian<quint16>(init.constData() + 2);
        const quint32 nameLength = qFromBigEndian<quint32>(init.constData() + 20);
        read(int(nameLength));
        return r;
    }

    // FramebufferUpdateRequest for the whole screen.
    void requestUpdate(int width, int height, bool incremental) {
        QByteArray m(10, '\0');
        m[0] = 3;
        m[1] = incremental ? 1 : 0;
        qToBigEndian<quint16>(quint16(width), m.data() + 6);
        qToBigEndian<quint16>(quint16(height), m.data() + 8);
        send(m);
    }
    // SetEncodings: raw only, so updates are plain to parse.
    void rawOnly() {
        QByteArray m(8, '\0');
        m[0] = 2;
        qToBigEndian<quint16>(1, m.data() + 2);
        qToBigEndian<qint32>(0, m.data() + 4);
        send(m);
    }
    // PointerEvent.
    void pointer(int x, int y, int buttons = 0) {
        QByteArray m(6, '\0');
        m[0] = 5;
        m[1] = char(buttons);
        qToBigEndian<quint16>(quint16(x), m.data() + 2);
        qToBigEndian<quint16>(quint16(y), m.data() + 4);
        send(m);
    }
    // Reads one FramebufferUpdate of raw rectangles (32 bits per pixel, the server's default format);
    // returns its rectangle count, or -1 on anything else.
    int readRawUpdate(int timeoutMs = 10000) {
        const QByteArray head = read(4, timeoutMs);
        if (head.size() != 4 || head[0] != 0)
            return -1;
        const int rects = qFromBigEndian<quint16>(head.constData() + 2);
        for (int i = 0; i < rects; ++i) {
            const QByteArray rect = read(12, timeoutMs);
            if (rect.size() != 12)
                return -1;
            const int w = qFromBigEndian<quint16>(rect.constData() + 4);
            const int h = qFromBigEndian<quint16>(rect.constData() + 6);
            const qint32 encoding = qFromBigEndian<qint32>(rect.constData() + 8);
            if (encoding == 0) {
                if (read(w * h * 4, timeoutMs).size() != w * h * 4)
                    return -1;
            } else if (encoding != -223) { // DesktopSize carries no data; nothing else was asked for
                return -1;
            }
        }
        return rects;
    }

private:
    QWebSocket m_ws;
    QByteArray m_in;
    bool m_closed = false;
};

} // namespace cove::test
