#include "support/S3.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QUrl>
#include <QUrlQuery>

namespace cove::test {

namespace {
QByteArray sha256Hex(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}
QByteArray hmac(const QByteArray& key, const QByteArray& message) {
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}
} // namespace

Reply signedS3(const QString& baseUrl, const QJsonObject& access, const QByteArray& method,
               const QString& pathAndQuery, const QByteArray& body, const QByteArray& secret,
               const QByteArray& payloadHash) {
    const QUrl url(baseUrl + pathAndQuery);
    const QByteArray date =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddThhmmssZ")).toLatin1();
    const QByteArray day = date.left(8);
    const QByteArray payload = payloadHash.isEmpty() ? sha256Hex(body) : payloadHash;
    const QByteArray token = access.value(QStringLiteral("sessionToken")).toString().toLatin1();
    const QByteArray host = url.authority().toLatin1();
    QStringList pairs;
    for (const auto& item : QUrlQuery(url).queryItems(QUrl::FullyDecoded))
        pairs << QString::fromLatin1(QUrl::toPercentEncoding(item.first)) + QLatin1Char('=') +
                     QString::fromLatin1(QUrl::toPercentEncoding(item.second));
    pairs.sort();
    const QByteArray canonical = method + "\n" + url.path(QUrl::FullyEncoded).toLatin1() + "\n" +
                                 pairs.join(QLatin1Char('&')).toLatin1() + "\nhost:" + host +
                                 "\nx-amz-content-sha256:" + payload + "\nx-amz-date:" + date +
                                 "\nx-amz-security-token:" + token +
                                 "\n\nhost;x-amz-content-sha256;x-amz-date;x-amz-security-token\n" + payload;
    const QByteArray scope = day + "/us-east-1/s3/aws4_request";
    const QByteArray toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + sha256Hex(canonical);
    QByteArray key =
        "AWS4" + (secret.isEmpty() ? access.value(QStringLiteral("secret")).toString().toLatin1() : secret);
    for (const QByteArray& part :
         {day, QByteArray("us-east-1"), QByteArray("s3"), QByteArray("aws4_request")})
        key = hmac(key, part);
    const QByteArray auth =
        "AWS4-HMAC-SHA256 Credential=" + access.value(QStringLiteral("accessKey")).toString().toLatin1() +
        "/" + scope +
        ", SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token, Signature=" +
        hmac(key, toSign).toHex();
    return request(method, url.toString(), {}, body,
                   {{"Authorization", auth},
                    {"x-amz-date", date},
                    {"x-amz-content-sha256", payload},
                    {"x-amz-security-token", token},
                    {"Content-Type", "application/octet-stream"}});
}

QString xmlField(const QByteArray& xml, const char* tag) {
    const QByteArray open = QByteArray("<") + tag + ">";
    const int at = xml.indexOf(open);
    if (at < 0)
        return {};
    const int start = at + open.size();
    return QString::fromUtf8(xml.mid(start, xml.indexOf(QByteArray("</") + tag + ">", start) - start));
}

QString fileContextHash(const QByteArray& archivePath, const QByteArray& content) {
    QCryptographicHash md5(QCryptographicHash::Md5);
    md5.addData(archivePath);
    md5.addData(content);
    return QString::fromLatin1(md5.result().toHex());
}

} // namespace cove::test
