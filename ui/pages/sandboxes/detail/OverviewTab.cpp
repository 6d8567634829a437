// The fields are grouped as Daytona's dashboard groups them: identity, resources, access, lifecycle, storage.
#include "ui/pages/sandboxes/detail/OverviewTab.h"

#include "app/ApiClient.h"
#include "app/SandboxState.h"
#include "ui/widgets/JsonTableModel.h"
#include "ui/widgets/PageKit.h"

#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <utility>

namespace cove::ui::detail {

namespace {
// Fields whose sandboxes are links that open them.
constexpr const char* kLinkKeys[] = {"parent", "ancestors", "forks", "linkedSandboxId", "linkedFollowers"};

// Sandboxes known by id alone (links between sandboxes): each a link that opens it.
QString linksTo(const QJsonValue& ids) {
    QStringList out;
    for (const QJsonValue& v : ids.isArray() ? ids.toArray() : QJsonArray{ids})
        if (const QString id = v.toString(); !id.isEmpty())
            out << QStringLiteral("<a href=\"%1\">%1</a>").arg(id.toHtmlEscaped());
    return out.join(QStringLiteral("<br>"));
}

// The egress the service enforces (networkPolicy; an older service's networkEgress and lists), in a line.
QString egressText(const QJsonObject& s) {
    const QJsonObject policy = s.value(QStringLiteral("networkPolicy")).toObject();
    const QString egress = policy.isEmpty() ? s.value(QStringLiteral("networkEgress")).toString()
                                            : policy.value(QStringLiteral("egress")).toString();
    const auto joined = [](const QJsonValue& list) {
        QStringList out;
        for (const QJsonValue& v : list.toArray())
            out << v.toString();
        return out.join(QStringLiteral(", "));
    };
    const QString cidrs = policy.isEmpty() ? s.value(QStringLiteral("networkAllowList")).toString()
                                           : joined(policy.value(QStringLiteral("cidrs")));
    QString text;
    if (egress == QLatin1String("block-all") ||
        (egress.isEmpty() && s.value(QStringLiteral("networkBlockAll")).toBool()))
        text = OverviewTab::tr("all outbound traffic blocked");
    else if (egress == QLatin1String("essential-services"))
        text =
            OverviewTab::tr("only essential services (package registries, Git hosts, AI APIs): tiers 1 and "
                            "2 ignore the sandbox's own list");
    else if (egress == QLatin1String("domains")) {
        const QString domains = joined(policy.value(QStringLiteral("domains")));
        text = cidrs.isEmpty() ? OverviewTab::tr("only to the names %1").arg(domains)
                               : OverviewTab::tr("only to the names %1 and to %2").arg(domains, cidrs);
    } else if (egress == QLatin1String("allow-list") || (egress.isEmpty() && !cidrs.isEmpty()))
        text = OverviewTab::tr("outbound traffic only to %1").arg(cidrs);
    else
        text = OverviewTab::tr("unrestricted");
    if (const QString blocked = joined(policy.value(QStringLiteral("blockedDomains"))); !blocked.isEmpty())
        text += OverviewTab::tr("; never to %1").arg(blocked);
    if (policy.value(QStringLiteral("strict")).toBool())
        text += OverviewTab::tr("; strict, with no exception");
    if (policy.value(QStringLiteral("proxied")).toBool())
        text += OverviewTab::tr("; through the egress proxy");
    return text;
}

// A sandbox of the lineage: a link that opens it, or its name alone when it is gone.
QString linkTo(const app::Sandbox& s) {
    const QString name = s.name.toHtmlEscaped();
    if (s.state == app::SandboxState::Destroyed)
        return OverviewTab::tr("%1 (deleted)").arg(name);
    return QStringLiteral("<a href=\"%1\">%2</a>").arg(s.id.toHtmlEscaped(), name);
}

// Daytona's BackupState as a person reads it; a state this dashboard does not know is shown as sent.
QString backupStateLabel(const QString& state) {
    if (state.isEmpty() || state == QLatin1String("None"))
        return {};
    if (state == QLatin1String("Pending"))
        return OverviewTab::tr("waiting");
    if (state == QLatin1String("InProgress"))
        return OverviewTab::tr("in progress");
    if (state == QLatin1String("Completed"))
        return OverviewTab::tr("completed");
    if (state == QLatin1String("Error"))
        return OverviewTab::tr("failed");
    return state;
}

QString minutes(const QJsonValue& v, const QString& offText) {
    const int m = v.toInt(-1);
    if (v.isUndefined() || v.isNull())
        return OverviewTab::tr("not set");
    if (m <= 0)
        return offText;
    if (m % 1440 == 0)
        return m == 1440 ? OverviewTab::tr("1 day") : OverviewTab::tr("%1 days").arg(m / 1440);
    if (m % 60 == 0)
        return m == 60 ? OverviewTab::tr("1 hour") : OverviewTab::tr("%1 hours").arg(m / 60);
    return m == 1 ? OverviewTab::tr("1 minute") : OverviewTab::tr("%1 minutes").arg(m);
}

QString keyValues(const QJsonObject& o) {
    QStringList out;
    for (auto it = o.begin(); it != o.end(); ++it)
        out << it.key() + QLatin1Char('=') + it.value().toString();
    return out.join(QLatin1Char('\n'));
}

// GET /api/sandbox/{id}/secrets as lines, whatever shape it takes: names as they are, and objects as
// their text fields (an environment variable with the secret it holds).
// The secrets the sandbox mounts (GET /api/sandbox/{id}/secrets), one line each: the variable, the secret
// and where its value may go.
QString secretsText(const QJsonDocument& d) {
    QStringList out;
    for (const QJsonValue& item : d.array()) {
        const QJsonObject mount = item.toObject();
        QStringList hosts;
        for (const QJsonValue& host : mount.value(QStringLiteral("hosts")).toArray())
            hosts << host.toString();
        const QString env = mount.value(QStringLiteral("env")).toString();
        const QString secret = mount.value(QStringLiteral("secretName")).toString();
        out << (hosts.isEmpty()
                    ? OverviewTab::tr("%1: secret %2, sent nowhere (it names no hosts)").arg(env, secret)
                    : OverviewTab::tr("%1: secret %2, sent only to %3")
                          .arg(env, secret, hosts.join(QStringLiteral(", "))));
    }
    return out.isEmpty() ? OverviewTab::tr("none") : out.join(QLatin1Char('\n'));
}
} // namespace

std::span<const OverviewTab::Row> OverviewTab::rows() {
    static const Row table[] = {
        {QT_TR_NOOP("Sandbox"), "name", QT_TR_NOOP("Name:")},
        {nullptr, "id", QT_TR_NOOP("ID:")},
        {nullptr, "state", QT_TR_NOOP("State:")},
        {nullptr, "errorReason", QT_TR_NOOP("Error:")},
        {nullptr, "snapshot", QT_TR_NOOP("Snapshot:")},
        {nullptr, "user", QT_TR_NOOP("User:")},
        {nullptr, "target", QT_TR_NOOP("Region:")},
        {QT_TR_NOOP("Resources"), "cpu", QT_TR_NOOP("CPU:")},
        {nullptr, "memory", QT_TR_NOOP("Memory:")},
        {nullptr, "disk", QT_TR_NOOP("Disk:")},
        {nullptr, "gpu", QT_TR_NOOP("GPU:")},
        {QT_TR_NOOP("Configuration"), "labels", QT_TR_NOOP("Labels:")},
        {nullptr, "env", QT_TR_NOOP("Environment:")},
        {nullptr, "public", QT_TR_NOOP("Public:")},
        {QT_TR_NOOP("Network"), "network", QT_TR_NOOP("Egress enforced:")},
        {nullptr, "domainAllowList", QT_TR_NOOP("Names allowed:")},
        {nullptr, "domainBlockList", QT_TR_NOOP("Names blocked:")},
        {nullptr, "networkStrict", QT_TR_NOOP("Strict mode:")},
        {nullptr, "secrets", QT_TR_NOOP("Secrets in use:")},
        {nullptr, "linkedSandboxId", QT_TR_NOOP("Linked to:")},
        {nullptr, "linkedFollowers", QT_TR_NOOP("Followers:")},
        {QT_TR_NOOP("Lifecycle"), "autoStopInterval", QT_TR_NOOP("Auto-stop:")},
        {nullptr, "autoPauseInterval", QT_TR_NOOP("Auto-pause:")},
        {nullptr, "autoArchiveInterval", QT_TR_NOOP("Auto-archive:")},
        {nullptr, "autoDeleteInterval", QT_TR_NOOP("Auto-delete:")},
        {nullptr, "autoDestroyAt", QT_TR_NOOP("Time to live:")},
        {nullptr, "createdAt", QT_TR_NOOP("Created:")},
        {nullptr, "updatedAt", QT_TR_NOOP("Updated:")},
        {nullptr, "lastActivityAt", QT_TR_NOOP("Last activity:")},
        {QT_TR_NOOP("Storage"), "volumes", QT_TR_NOOP("Volumes:")},
        {nullptr, "backup", QT_TR_NOOP("Backup:")},
        {QT_TR_NOOP("Lineage"), "parent", QT_TR_NOOP("Forked from:")},
        {nullptr, "ancestors", QT_TR_NOOP("Ancestors:")},
        {nullptr, "forks", QT_TR_NOOP("Forks:")},
    };
    return table;
}

OverviewTab::OverviewTab(app::ApiClient* client, QWidget* parent)
    : DetailTab(client, parent)
    , m_message(kit::messageLine(this))
    , m_api(client) {
    auto* content = new QWidget;
    auto* column = new QVBoxLayout(content);
    QFormLayout* form = nullptr;
    for (const Row& r : rows()) {
        if (r.group) {
            auto* box = new QGroupBox(content);
            form = new QFormLayout(box);
            form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
            column->addWidget(box);
            m_groups << box;
        }
        addField(form, QString::fromLatin1(r.key));
    }
    column->addStretch(1);
    // The lineage's and the links' sandboxes are links, reachable with Tab and opened with Enter.
    for (const char* key : kLinkKeys) {
        QLabel* value = m_fields.value(QString::fromLatin1(key));
        value->setTextFormat(Qt::RichText);
        value->setTextInteractionFlags(Qt::TextBrowserInteraction);
        connect(value, &QLabel::linkActivated, this, &OverviewTab::openSandbox);
    }

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(scroll, 1);
    retranslateUi();
}

void OverviewTab::retranslateUi() {
    qsizetype group = 0;
    for (const Row& r : rows()) {
        if (r.group)
            m_groups.at(group++)->setTitle(tr(r.group));
        QLabel* value = m_fields.value(QString::fromLatin1(r.key));
        value->setAccessibleName(tr(r.label));
        kit::setFormLabel(value, tr(r.label));
    }
    if (!m_sandbox.isEmpty()) {
        show(m_sandbox);
        showLineage();
    }
}

void OverviewTab::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    DetailTab::changeEvent(event);
}

void OverviewTab::addField(QFormLayout* form, const QString& key) {
    auto* value = new QLabel(form->parentWidget());
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setTextFormat(Qt::PlainText);
    value->setWordWrap(true);
    kit::addFormRow(form, value);
    m_fields.insert(key, value);
}

QString OverviewTab::fieldText(const QString& key) const {
    const QLabel* l = m_fields.value(key);
    return l ? l->text() : QString();
}

void OverviewTab::sandboxChanged() {
    m_sandbox = {};
    m_loading = false; // a read of the previous sandbox still under way is dropped when it answers
    m_readAgain = false;
    m_ancestors.reset();
    m_forks.reset();
    m_secrets.reset();
    for (QLabel* l : std::as_const(m_fields))
        l->clear();
}

void OverviewTab::refresh() {
    if (m_id.isEmpty())
        return;
    if (m_loading) {
        m_readAgain = true; // what is under way may be older than the change that asks
        return;
    }
    m_loading = true;
    const QString id = m_id;
    m_client->get(QStringLiteral("/api/sandbox/") + id, this, [this, id](const app::ApiResult& r) {
        if (id != m_id)
            return;
        m_loading = false;
        if (std::exchange(m_readAgain, false))
            return refresh();
        if (!r.ok) {
            kit::showMessage(m_message, r.status == 404
                                            ? tr("Sandbox %1 no longer exists; it was deleted.").arg(id)
                                            : r.error);
            return;
        }
        m_message->hide();
        show(r.json.object());
        loadLineage(id, !r.json.object().value(QStringLiteral("parentSandboxId")).toString().isEmpty());
        loadSecrets(id);
    });
}

void OverviewTab::loadSecrets(const QString& id) {
    m_client->get(QStringLiteral("/api/sandbox/") + id + QStringLiteral("/secrets"), this,
                  [this, id](const app::ApiResult& r) {
                      if (id != m_id)
                          return;
                      // A service without secrets (or one that cannot say now): no dialog, a word.
                      m_secrets.emplace(r.ok ? std::optional<QJsonDocument>(r.json) : std::nullopt);
                      m_fields.value(QStringLiteral("secrets"))->setText(secretsLine());
                  });
}

QString OverviewTab::secretsLine() const {
    if (!m_secrets)
        return tr("reading…");
    return *m_secrets ? secretsText(**m_secrets) : tr("unavailable");
}

void OverviewTab::loadLineage(const QString& id, bool isFork) {
    const auto keep = [this, id](std::optional<app::Result<QList<app::Sandbox>>>* into) {
        return [this, id, into](const app::Result<QList<app::Sandbox>>& r) {
            if (id != m_id)
                return;
            into->emplace(r);
            showLineage();
        };
    };
    if (isFork)
        m_api.ancestors(id, this, keep(&m_ancestors));
    else
        m_ancestors.emplace(QList<app::Sandbox>{});
    m_api.forks(id, true, this, keep(&m_forks));
}

void OverviewTab::showLineage() {
    const auto set = [this](const char* key, const QString& html) {
        m_fields.value(QString::fromLatin1(key))->setText(html);
    };
    const auto links = [](const QList<app::Sandbox>& list, const QString& separator) {
        QStringList out;
        for (const app::Sandbox& s : list)
            out << linkTo(s);
        return out.join(separator);
    };
    const auto unknown = [](const app::ApiError& e) {
        return tr("not known: %1").arg(e.text).toHtmlEscaped();
    };
    if (!m_ancestors) {
        set("parent", tr("reading…"));
        set("ancestors", {});
    } else if (!m_ancestors->ok()) {
        set("parent", unknown(m_ancestors->error()));
        set("ancestors", {});
    } else if (m_ancestors->value().isEmpty()) {
        set("parent", tr("none: this sandbox is not a fork"));
        set("ancestors", tr("none"));
    } else {
        set("parent", linkTo(m_ancestors->value().first()));
        // Nearest first, back to the first sandbox of the line.
        set("ancestors", links(m_ancestors->value(), QStringLiteral(" ← ")));
    }
    if (!m_forks)
        set("forks", tr("reading…"));
    else if (!m_forks->ok())
        set("forks", unknown(m_forks->error()));
    else
        set("forks",
            m_forks->value().isEmpty() ? tr("none") : links(m_forks->value(), QStringLiteral("<br>")));
}

void OverviewTab::show(const QJsonObject& s) {
    m_sandbox = s;
    auto set = [this](const QString& key, const QString& text) { m_fields.value(key)->setText(text); };
    auto plain = [&](const QString& key) { set(key, s.value(key).toVariant().toString()); };
    for (const char* key : {"name", "id", "snapshot", "user", "target"})
        plain(QString::fromLatin1(key));
    QString state = app::sandboxStateLabel(s.value(QStringLiteral("state")).toString());
    const QString desired = s.value(QStringLiteral("desiredState")).toString();
    if (!desired.isEmpty() && desired != s.value(QStringLiteral("state")).toString())
        state += tr(" (becoming %1)").arg(app::sandboxStateLabel(desired));
    set(QStringLiteral("state"), state);
    const QString error = s.value(QStringLiteral("errorReason")).toString();
    set(QStringLiteral("errorReason"), error.isEmpty() ? tr("none") : error);

    set(QStringLiteral("cpu"), tr("%1 vCPU").arg(s.value(QStringLiteral("cpu")).toInt()));
    set(QStringLiteral("memory"), tr("%1 GiB").arg(s.value(QStringLiteral("memory")).toDouble()));
    QString disk = tr("%1 GiB").arg(s.value(QStringLiteral("disk")).toDouble());
    if (s.contains(QStringLiteral("diskLimitEnforced")) &&
        !s.value(QStringLiteral("diskLimitEnforced")).toBool())
        disk += tr(" (disk limit not enforced: the Docker storage driver cannot cap a container's disk)");
    set(QStringLiteral("disk"), disk);
    set(QStringLiteral("gpu"), QString::number(s.value(QStringLiteral("gpu")).toInt()));

    const QString labels = keyValues(s.value(QStringLiteral("labels")).toObject());
    set(QStringLiteral("labels"), labels.isEmpty() ? tr("none") : labels);
    // Values of the environment may be secrets: the overview names the keys only.
    const QStringList envKeys = s.value(QStringLiteral("env")).toObject().keys();
    set(QStringLiteral("env"), envKeys.isEmpty() ? tr("none") : envKeys.join(QLatin1Char('\n')));
    set(QStringLiteral("public"), s.value(QStringLiteral("public")).toBool()
                                      ? tr("yes: preview URLs open without a token")
                                      : tr("no: preview URLs need the sandbox's token"));
    set(QStringLiteral("network"), egressText(s));
    for (const char* key : {"domainAllowList", "domainBlockList"}) {
        const QString list = s.value(QString::fromLatin1(key)).toString();
        set(QString::fromLatin1(key),
            list.isEmpty() ? tr("none") : list.split(QLatin1Char(',')).join(QStringLiteral(", ")));
    }
    set(QStringLiteral("networkStrict"), s.value(QStringLiteral("networkStrict")).toBool()
                                             ? tr("on: no essential services and no other exception")
                                             : tr("off"));
    set(QStringLiteral("secrets"), secretsLine());
    const QString owner = linksTo(s.value(QStringLiteral("linkedSandboxId")));
    set(QStringLiteral("linkedSandboxId"),
        owner.isEmpty() ? tr("none: this sandbox follows no other") : owner);
    const QString followers = linksTo(s.value(QStringLiteral("linkedFollowers")));
    set(QStringLiteral("linkedFollowers"), followers.isEmpty() ? tr("none") : followers);

    set(QStringLiteral("autoStopInterval"),
        minutes(s.value(QStringLiteral("autoStopInterval")), tr("off (never stops by itself)")));
    set(QStringLiteral("autoArchiveInterval"),
        minutes(s.value(QStringLiteral("autoArchiveInterval")), tr("off (the longest interval applies)")));
    set(QStringLiteral("autoPauseInterval"),
        minutes(s.value(QStringLiteral("autoPauseInterval")), tr("off (never pauses by itself)")));
    const QJsonValue destroyAt = s.value(QStringLiteral("autoDestroyAt"));
    set(QStringLiteral("autoDestroyAt"),
        destroyAt.toString().isEmpty() ? tr("none")
                                       : tr("deleted at %1 (%2), whatever its state")
                                             .arg(JsonTableModel::when(destroyAt), destroyAt.toString()));
    const QJsonValue autoDelete = s.value(QStringLiteral("autoDeleteInterval"));
    set(QStringLiteral("autoDeleteInterval"),
        autoDelete.toInt(-1) == 0 ? tr("as soon as it stops") : minutes(autoDelete, tr("off")));
    for (const char* key : {"createdAt", "updatedAt", "lastActivityAt"}) {
        const QString k = QString::fromLatin1(key);
        set(k, tr("%1 (%2)").arg(JsonTableModel::when(s.value(k)), s.value(k).toString()));
    }

    QStringList volumes;
    for (const QJsonValue& v : s.value(QStringLiteral("volumes")).toArray()) {
        const QJsonObject o = v.toObject();
        QString line = tr("%1 at %2")
                           .arg(o.value(QStringLiteral("volumeId")).toString(),
                                o.value(QStringLiteral("mountPath")).toString());
        if (const QString sub = o.value(QStringLiteral("subpath")).toString(); !sub.isEmpty())
            line += tr(" (subfolder %1)").arg(sub);
        volumes << line;
    }
    set(QStringLiteral("volumes"), volumes.isEmpty() ? tr("none") : volumes.join(QLatin1Char('\n')));
    const QString backup = backupStateLabel(s.value(QStringLiteral("backupState")).toString());
    const QJsonValue backupAt = s.value(QStringLiteral("backupCreatedAt"));
    if (backup.isEmpty())
        set(QStringLiteral("backup"), tr("never backed up"));
    else if (backupAt.toString().isEmpty())
        set(QStringLiteral("backup"), backup);
    else
        set(QStringLiteral("backup"),
            tr("%1, %2 (%3)").arg(backup, JsonTableModel::when(backupAt), backupAt.toString()));
    emit loaded(s);
}

} // namespace cove::ui::detail
