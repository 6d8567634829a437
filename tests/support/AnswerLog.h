// Calls a coved with any key and keeps the body of every answer, for the security tests that show a value
// they gave (a password, a secret) never comes back: in no answer, nor in the log or the audit.
#pragma once

#include "support/CovedProcess.h"
#include "support/Http.h"

#include <QList>

namespace cove::test {

class AnswerLog {
public:
    explicit AnswerLog(const CovedProcess& coved)
        : m_coved(coved) {}

    Reply as(const QString& key, const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        Reply r = request(method, m_coved.url() + path, key, body);
        m_answers << r.body;
        return r;
    }
    Reply admin(const QByteArray& method, const QString& path, const QByteArray& body = {}) {
        return as(m_coved.adminKey(), method, path, body);
    }
    // Whether any answer so far, coved's log or its last 200 audit entries hold `value`; the answer
    // that held it in `where`.
    bool leaked(const QByteArray& value, QByteArray* where = nullptr) {
        for (const QByteArray& body : m_answers)
            if (body.contains(value)) {
                if (where)
                    *where = body;
                return true;
            }
        return m_coved.log().contains(value) ||
               request("GET", m_coved.url() + QStringLiteral("/api/audit?limit=200"), m_coved.adminKey())
                   .body.contains(value);
    }

private:
    const CovedProcess& m_coved;
    QList<QByteArray> m_answers;
};

} // namespace cove::test
