// Uploads read their file through QHttpMultiPart's device, so a large file never sits in memory; downloads
// go through a QSaveFile, so a broken transfer leaves no half-written file under the chosen name.
#include "app/Transfer.h"

#include "app/ApiClient.h"

#include <QFile>
#include <QFileInfo>
#include <QHttpMultiPart>
#include <QNetworkReply>
#include <QSaveFile>
#include <QTimer>
#include <QUrl>

namespace cove::app {

namespace {
QString filesPath(const QString& base, const QString& route, const QString& remotePath) {
    return QStringLiteral("%1/files/%2?path=%3")
        .arg(base, route, QString::fromLatin1(QUrl::toPercentEncoding(remotePath)));
}
} // namespace

Transfer::Transfer(ApiClient* client, Direction d, QString local, QString remote, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_direction(d)
    , m_local(std::move(local))
    , m_remote(std::move(remote)) {}

Transfer* Transfer::upload(ApiClient* client, const QString& base, const QString& localFile,
                           const QString& remotePath, QObject* parent) {
    auto* t = new Transfer(client, Direction::Upload, localFile, remotePath, parent);
    auto* file = new QFile(localFile);
    if (!file->open(QIODevice::ReadOnly)) {
        t->fail(tr("Cannot read %1 (%2). Check that the file exists and that you may read it.")
                    .arg(localFile, file->errorString()));
        delete file;
        return t;
    }
    t->m_total = file->size();
    auto* multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    QHttpPart part;
    part.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QStringLiteral("form-data; name=\"file\"; filename=\"%1\"")
                       .arg(QFileInfo(localFile).fileName().replace(QLatin1Char('"'), QLatin1Char('_'))));
    part.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/octet-stream"));
    part.setBodyDevice(file);
    file->setParent(multipart);
    multipart->append(part);
    const QString path = filesPath(base, QStringLiteral("upload"), remotePath);
    QNetworkReply* reply = client->network()->post(client->request(path), multipart);
    multipart->setParent(reply);
    connect(reply, &QNetworkReply::uploadProgress, t, [t](qint64 sent, qint64 total) {
        // The multipart framing adds a few hundred bytes; report the file's own bytes.
        if (total > 0 && t->m_total >= 0)
            t->m_done = qMin(t->m_total, sent * t->m_total / total);
        emit t->progress(t->m_done, t->m_total);
    });
    t->watch(reply, path);
    return t;
}

Transfer* Transfer::download(ApiClient* client, const QString& base, const QString& remotePath,
                             const QString& localFile, QObject* parent) {
    Transfer* t =
        downloadPath(client, filesPath(base, QStringLiteral("download"), remotePath), localFile, parent);
    t->m_remote = remotePath;
    return t;
}

Transfer* Transfer::downloadPath(ApiClient* client, const QString& path, const QString& localFile,
                                 QObject* parent) {
    auto* t = new Transfer(client, Direction::Download, localFile, path, parent);
    t->m_out = new QSaveFile(localFile, t);
    if (!t->m_out->open(QIODevice::WriteOnly)) {
        t->fail(tr("Cannot write %1 (%2). Choose a folder you may write to.")
                    .arg(localFile, t->m_out->errorString()));
        return t;
    }
    QNetworkReply* reply = client->network()->get(client->request(path));
    connect(reply, &QNetworkReply::readyRead, t, [t, reply] {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
            return; // an error body, read when the reply ends
        const QByteArray chunk = reply->readAll();
        if (t->m_out->write(chunk) != chunk.size()) {
            t->complete(false, tr("Writing %1 failed (%2). Check the free space there.")
                                   .arg(t->m_local, t->m_out->errorString()));
            reply->abort();
            return;
        }
        t->m_done += chunk.size();
        emit t->progress(t->m_done, t->m_total);
    });
    connect(reply, &QNetworkReply::downloadProgress, t, [t](qint64, qint64 total) {
        if (total > 0)
            t->m_total = total;
    });
    t->watch(reply, path);
    return t;
}

void Transfer::watch(QNetworkReply* reply, const QString& path) {
    m_reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, reply, path] {
        reply->deleteLater();
        if (m_finished)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        m_status = status;
        if (m_aborted) {
            complete(false, tr("Cancelled."));
            return;
        }
        if (status < 200 || status >= 300) {
            complete(false, m_client->errorText(status, reply->readAll(), path, reply->errorString()));
            return;
        }
        if (m_out && !m_out->commit()) {
            complete(
                false,
                tr("Saving %1 failed (%2). Check the free space there.").arg(m_local, m_out->errorString()));
            return;
        }
        if (m_direction == Direction::Upload)
            m_done = m_total;
        emit progress(m_done, m_total);
        complete(true, {});
    });
}

void Transfer::abort() {
    m_aborted = true;
    if (m_reply)
        m_reply->abort();
}

void Transfer::fail(const QString& error) {
    // Reported once the caller had the chance to connect.
    QTimer::singleShot(0, this, [this, error] { complete(false, error); });
}

void Transfer::complete(bool ok, const QString& error) {
    if (m_finished)
        return;
    m_finished = true;
    if (!ok && m_out)
        m_out->cancelWriting();
    emit finished(ok, error);
}

} // namespace cove::app
