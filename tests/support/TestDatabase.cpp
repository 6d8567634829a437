// PostgreSQL databases for tests, made and dropped with the server's own psql.
#include "support/TestDatabase.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>

namespace cove::test {

namespace {

// The URL with its database name replaced: scheme://authority/NAME?query.
QString withDatabase(const QString& url, const QString& name) {
    const int scheme = url.indexOf(QStringLiteral("://"));
    const int slash = url.indexOf(QLatin1Char('/'), scheme + 3);
    const int query = url.indexOf(QLatin1Char('?'), scheme + 3);
    const int authorityEnd = slash >= 0 && (query < 0 || slash < query) ? slash : query;
    const QString authority = authorityEnd < 0 ? url : url.left(authorityEnd);
    return authority + QLatin1Char('/') + name + (query >= 0 ? url.mid(query) : QString());
}

bool psql(const QString& sql, QString* error) {
    QProcess p;
    p.start(QStringLiteral("psql"), {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-v"),
                                     QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"),
                                     postgresServer(), QStringLiteral("-c"), sql});
    const bool ok = p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!ok && error)
        *error = QStringLiteral("psql failed (%1): %2")
                     .arg(sql, QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput()));
    return ok;
}

} // namespace

QString postgresServer() {
    return qEnvironmentVariable("COVE_TEST_POSTGRES");
}

QString createPostgresDatabase(QString* error) {
    const QString name =
        QStringLiteral("cove_t_%1").arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
    // Byte order for text, as SQLite compares it, whatever the server's locale.
    if (!psql(QStringLiteral(
                  "CREATE DATABASE %1 TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
                  .arg(name),
              error))
        return {};
    return withDatabase(postgresServer(), name);
}

void dropPostgresDatabase(const QString& url) {
    static const QRegularExpression name(QStringLiteral("/(cove_t_[0-9a-f]{16})(\\?|$)"));
    const auto m = name.match(url);
    if (m.hasMatch())
        psql(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m.captured(1)), nullptr);
}

TestDatabase::TestDatabase(const QString& dir, const QString& name) {
    if (postgresServer().isEmpty()) {
        m_spec = dir + QLatin1Char('/') + name;
        return;
    }
    QString error;
    m_spec = createPostgresDatabase(&error);
    m_postgres = true;
    if (m_spec.isEmpty())
        qFatal("cannot make a test database: %s", qPrintable(error));
}

TestDatabase::~TestDatabase() {
    if (m_postgres)
        dropPostgresDatabase(m_spec);
}

} // namespace cove::test
