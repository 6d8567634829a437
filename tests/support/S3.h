// S3 calls to coved's object storage, signed with AWS Signature V4 as the AWS SDK signs them.
#pragma once

#include "support/Http.h"

#include <QJsonObject>

namespace cove::test {

// `access` is a push-access answer (accessKey, secret, sessionToken); `secret` replaces its secret and
// `payloadHash` the body's SHA-256 when given.
Reply signedS3(const QString& baseUrl, const QJsonObject& access, const QByteArray& method,
               const QString& pathAndQuery, const QByteArray& body = {}, const QByteArray& secret = {},
               const QByteArray& payloadHash = {});

// The text inside the first <tag>…</tag> of an S3 XML answer; empty when absent.
QString xmlField(const QByteArray& xml, const char* tag);

// The key the Daytona SDK names a one-file context by: the MD5 of its archive path and its content.
QString fileContextHash(const QByteArray& archivePath, const QByteArray& content);

} // namespace cove::test
