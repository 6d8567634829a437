// Error bodies are read once here; no caller looks into a message's words.
#include "app/ApiError.h"

#include "app/ApiClient.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace cove::app {

ErrorCode errorCodeFromString(const QString& code) {
    if (code.isEmpty())
        return ErrorCode::None;
    if (code == QLatin1String("INVALID_FIELD"))
        return ErrorCode::InvalidField;
    if (code == QLatin1String("QUOTA_EXCEEDED"))
        return ErrorCode::QuotaExceeded;
    if (code == QLatin1String("NAME_TAKEN"))
        return ErrorCode::NameTaken;
    if (code == QLatin1String("SNAPSHOT_NOT_FOUND"))
        return ErrorCode::SnapshotNotFound;
    if (code == QLatin1String("VOLUME_NOT_FOUND"))
        return ErrorCode::VolumeNotFound;
    return ErrorCode::Other;
}

ApiError ApiError::fromBody(int status, const QByteArray& body, const QString& text) {
    ApiError e;
    e.status = status;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    e.codeName = o.value(QStringLiteral("code")).toString();
    e.code = errorCodeFromString(e.codeName);
    e.field = o.value(QStringLiteral("field")).toString();
    e.message = o.value(QStringLiteral("message")).toString();
    e.text = text.isEmpty() ? e.message : text;
    return e;
}

ApiError ApiError::fromResult(const ApiResult& result) {
    return fromBody(result.status, result.body, result.error);
}

} // namespace cove::app
