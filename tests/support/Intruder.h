// Another organization, "intruders", with a key of every scope, written straight into a coved's
// database: the neighbour the security tests attack from. Needs coved_store.
#pragma once

#include "service/store/Store.h"
#include "support/CovedProcess.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QString>

namespace cove::test {

// Returns the intruders' key.
inline QString addIntruder(const CovedProcess& coved) {
    const QString key =
        QStringLiteral("cove_") +
        QString::fromLatin1(QByteArray::number(QRandomGenerator::global()->generate64(), 16).repeated(4));
    const auto db = cove::store::open(coved.database().toStdString());
    db->exec("INSERT INTO organizations (id, name, created_at) VALUES ('intruders', 'Intruders', 1)");
    db->exec("INSERT INTO api_keys (id, organization_id, name, key_hash, key_prefix, key_suffix, scopes, "
             "created_at) VALUES ('k-intruder', 'intruders', 'intruder', ?, 'cove_', 'x', '[\"*\"]', 1)",
             {QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().toStdString()});
    return key;
}

} // namespace cove::test
