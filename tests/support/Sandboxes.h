// A test's view of one coved: authenticated calls, sandbox creation it cleans up after, and what Docker
// says about a sandbox's container.
#pragma once

#include "support/CovedProcess.h"
#include "support/Http.h"

#include <QJsonObject>

namespace cove::test {

class Sandboxes {
public:
    explicit Sandboxes(CovedProcess& coved)
        : m_coved(coved) {}
    ~Sandboxes() { removeAll(); }

    Reply call(const QByteArray& method, const QString& path, const QByteArray& body = {}) const;
    // Creates a sandbox and remembers it for removeAll(); empty on failure (with a warning).
    QString create(const QByteArray& body = "{}");
    QJsonObject get(const QString& id) const {
        return call("GET", QStringLiteral("/api/sandbox/") + id).object();
    }
    QString state(const QString& id) const { return get(id).value(QStringLiteral("state")).toString(); }
    // Runs `script` (a shell command line) in the sandbox: its exit code (-1 when the call failed) and
    // combined output.
    CommandResult exec(const QString& id, const QString& script) const;
    // Deletes a sandbox and waits until it is destroyed (destroySandbox()).
    Reply destroy(const QString& id) const {
        return destroySandbox(m_coved.url() + QStringLiteral("/api/sandbox/") + id, m_coved.adminKey());
    }
    // Remembers a sandbox made another way (a fork), for removeAll().
    void adopt(const QString& id) { m_created << id; }
    // Deletes every sandbox this object created and removes any container left behind.
    void removeAll();
    const QStringList& created() const { return m_created; }

    // docker inspect of the sandbox's container; empty when there is none.
    static QJsonObject container(const QString& id);
    static int containerCount(const QString& id);
    // Who root in a sandbox is on the host: 0, or the first uid of the engine's --userns-remap range.
    static uint engineRootUid();

private:
    CovedProcess& m_coved;
    QStringList m_created;
};

} // namespace cove::test
