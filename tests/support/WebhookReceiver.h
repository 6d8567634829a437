// A webhook receiver for tests: a real HTTP server in the test process. It records every connection and
// every request, and answers each request as told (a status, a redirect, or no answer at all, for
// timeouts); with nothing queued it answers 200 "ok". Verifies Svix signatures with its own HMAC.
#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QMessageAuthenticationCode>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <deque>
#include <memory>

namespace cove::test {

class WebhookReceiver {
public:
    struct Answer {
        int status = 200;
        QByteArray location; // for a redirect
        bool hang = false;   // read the request, never answer
        QByteArray body;     // empty: "ok", or "status N"
    };
    struct Request {
        QByteArray method, target, body;
        QMap<QByteArray, QByteArray> headers; // names in lower case
    };

    bool listen(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 0) {
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                ++connections;
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] { read(s, *buffer); });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
        return m_server.listen(address, port);
    }
    quint16 port() const { return m_server.serverPort(); }
    void close() { m_server.close(); }
    void answer(const Answer& a) { m_answers.push_back(a); }

    // Whether the request carries a valid Svix signature for `secret` (whsec_<base64>).
    static bool verify(const Request& r, const QByteArray& secret) {
        const QByteArray id = r.headers.value("webhook-id");
        const QByteArray ts = r.headers.value("webhook-timestamp");
        const QByteArray key = QByteArray::fromBase64(secret.mid(6));
        const QByteArray mac =
            QMessageAuthenticationCode::hash(id + '.' + ts + '.' + r.body, key, QCryptographicHash::Sha256);
        return !id.isEmpty() && !ts.isEmpty() && secret.startsWith("whsec_") &&
               r.headers.value("webhook-signature") == "v1," + mac.toBase64();
    }

    int connections = 0;
    QList<Request> requests;

private:
    void read(QTcpSocket* s, QByteArray& buffer) {
        buffer += s->readAll();
        const int end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        Request r;
        const QList<QByteArray> lines = buffer.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        r.method = first.value(0);
        r.target = first.value(1);
        for (int i = 1; i < lines.size(); ++i) {
            const int colon = lines[i].indexOf(':');
            if (colon > 0)
                r.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
        }
        const int length = r.headers.value("content-length").toInt();
        if (buffer.size() < end + 4 + length)
            return;
        r.body = buffer.mid(end + 4, length);
        buffer.clear();
        requests << r;
        const Answer a = m_answers.empty() ? Answer{} : m_answers.front();
        if (!m_answers.empty())
            m_answers.pop_front();
        if (a.hang)
            return;
        QByteArray reply = "HTTP/1.1 " + QByteArray::number(a.status) + " X\r\nContent-Type: text/plain\r\n";
        if (!a.location.isEmpty())
            reply += "Location: " + a.location + "\r\n";
        const QByteArray body = !a.body.isEmpty() ? a.body
                                : a.status == 200 ? QByteArray("ok")
                                                  : "status " + QByteArray::number(a.status);
        reply +=
            "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        s->write(reply);
        s->disconnectFromHost();
    }

    QTcpServer m_server;
    std::deque<Answer> m_answers;
};

} // namespace cove::test
