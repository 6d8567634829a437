// Blocking helpers for tests.
#include "support/Http.h"

#include <QFile>

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTimer>

namespace cove::test {

Reply request(const QByteArray& method, const QString& url, const QString& apiKey, const QByteArray& body,
              const QList<QPair<QByteArray, QByteArray>>& headers) {
    // One manager for the whole test: a manager made and destroyed on the stack per call can leave a
    // timer of its connection cache pointing into a dead frame, which a later nested event loop fires.
    static QNetworkAccessManager& net = *new QNetworkAccessManager;
    QNetworkRequest req{QUrl(url)};
    if (!apiKey.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + apiKey.toUtf8());
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    for (const auto& [k, v] : headers)
        req.setRawHeader(k, v);
    req.setTransferTimeout(120000);
    QNetworkReply* r = net.sendCustomRequest(req, method, body);
    QEventLoop loop;
    QObject::connect(r, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    if (!r->isFinished())
        loop.exec();
    Reply out;
    out.status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = r->readAll();
    r->deleteLater();
    return out;
}

bool waitUntil(const std::function<bool()>& done, int timeoutMs, int everyMs) {
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QEventLoop pause;
        QTimer::singleShot(everyMs, &pause, &QEventLoop::quit);
        pause.exec();
    }
    return true;
}

bool waitDestroyed(const QString& sandboxUrl, const QString& apiKey, int timeoutMs) {
    return waitUntil([&] { return request("GET", sandboxUrl, apiKey).status == 404; }, timeoutMs);
}

Reply destroySandbox(const QString& sandboxUrl, const QString& apiKey, int timeoutMs) {
    Reply deleted = request("DELETE", sandboxUrl, apiKey);
    if (deleted.status == 200 && !waitDestroyed(sandboxUrl, apiKey, timeoutMs))
        deleted.status = 0;
    return deleted;
}

Reply replyFrom(const QByteArray& raw) {
    Reply r;
    r.status = raw.mid(9, 3).toInt();
    const int split = raw.indexOf("\r\n\r\n");
    r.body = split < 0 ? QByteArray() : raw.mid(split + 4);
    return r;
}

CommandResult run(const QString& program, const QStringList& args, int timeoutMs) {
    QProcess p;
    p.start(program, args);
    CommandResult r;
    if (!p.waitForStarted(10000))
        return r;
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

long rssKiB(qint64 pid, const QByteArray& field) {
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const auto& line : f.readAll().split('\n'))
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLong();
    return -1;
}

QString sh(const QString& script) {
    const auto r = run(QStringLiteral("sh"), {QStringLiteral("-c"), script});
    return QString::fromUtf8(r.out + r.err).trimmed();
}

} // namespace cove::test
