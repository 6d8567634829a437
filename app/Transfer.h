// One file to or from a sandbox's toolbox or a volume with progress: an upload streams the file from disk
// as a multipart body (POST <base>/files/upload?path=), a download writes what arrives to disk as it
// arrives (GET <base>/files/download?path=) and keeps nothing of a failed one. The base is
// /toolbox/{sandboxId} or /api/volumes/{volumeId}: both speak the same file API.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QNetworkReply;
class QSaveFile;

namespace cove::app {

class ApiClient;

class Transfer : public QObject {
    Q_OBJECT
public:
    enum class Direction { Upload, Download };

    // Both start at once; finished() is always emitted, once (also for a file that cannot be opened).
    static Transfer* upload(ApiClient* client, const QString& base, const QString& localFile,
                            const QString& remotePath, QObject* parent);
    static Transfer* download(ApiClient* client, const QString& base, const QString& remotePath,
                              const QString& localFile, QObject* parent);
    // A download of whatever GET `path` answers (a recording's /download, say).
    static Transfer* downloadPath(ApiClient* client, const QString& path, const QString& localFile,
                                  QObject* parent);

    Direction direction() const { return m_direction; }
    QString localFile() const { return m_local; }
    QString remotePath() const { return m_remote; }
    qint64 done() const { return m_done; }
    qint64 total() const { return m_total; } // -1 while unknown
    // The HTTP status of the finished request: 0 when coved was not reached or nothing was sent.
    int status() const { return m_status; }
    void abort();

signals:
    void progress(qint64 done, qint64 total);
    // `error` says what went wrong and what to do; empty on success.
    void finished(bool ok, const QString& error);

private:
    Transfer(ApiClient* client, Direction d, QString local, QString remote, QObject* parent);
    void watch(QNetworkReply* reply, const QString& path);
    void fail(const QString& error);
    void complete(bool ok, const QString& error);

    ApiClient* m_client;
    Direction m_direction;
    QString m_local;
    QString m_remote;
    QPointer<QNetworkReply> m_reply;
    QSaveFile* m_out = nullptr;
    qint64 m_done = 0;
    qint64 m_total = -1;
    int m_status = 0;
    bool m_finished = false;
    bool m_aborted = false;
};

} // namespace cove::app
