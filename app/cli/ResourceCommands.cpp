// `cove-cli snapshot|volume|key|audit …`: /api/snapshots (with a build's log followed as it is written),
// /api/volumes, /api/api-keys and /api/audit.
#include "app/cli/Command.h"

#include "app/GovernanceApi.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTimer>
#include <QUrlQuery>

#include <csignal>

namespace cove::cli {

namespace {

const Option kJson{QStringLiteral("json"), {}, {}, QStringLiteral("print the API's JSON instead of a table")};
const Option kYes{QStringLiteral("yes"), QLatin1Char('y'), {}, QStringLiteral("do not ask for confirmation")};

QString str(const QJsonObject& o, const char* key) {
    return o.value(QLatin1String(key)).toString();
}

QString orDash(const QString& s) {
    return s.isEmpty() ? QStringLiteral("-") : s;
}

void pause(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// ---- snapshot

bool settling(const QString& state) {
    return state == QLatin1String("pending") || state == QLatin1String("pulling") ||
           state == QLatin1String("building");
}

int snapshotCreate(Context& c, const Parsed& p) {
    QString bad;
    QJsonObject body{{QStringLiteral("name"), p.args.first()}};
    const bool image = p.has(QStringLiteral("image"));
    const bool build = p.has(QStringLiteral("dockerfile")) || p.has(QStringLiteral("context"));
    if (image == build)
        return usageError(c.spec(),
                          QStringLiteral("give --image IMAGE, or --dockerfile FILE and/or --context DIR"));
    if (image)
        body.insert(QStringLiteral("imageName"), p.value(QStringLiteral("image")));
    if (p.has(QStringLiteral("entrypoint"))) {
        const QStringList words =
            p.value(QStringLiteral("entrypoint")).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.isEmpty())
            return usageError(c.spec(), QStringLiteral("--entrypoint needs a command"));
        body.insert(QStringLiteral("entrypoint"), QJsonArray::fromStringList(words));
    }
    for (const char* n : {"cpu", "memory", "disk"})
        if (const auto v = intOption(p, QLatin1String(n), 1, 1 << 20, &bad))
            body.insert(QLatin1String(n), *v);
    if (!bad.isEmpty())
        return usageError(c.spec(), bad);
    if (build)
        if (const int code = addBuildInfo(c, p, &body); code != kOk)
            return code;
    const app::ApiResult r = c.call("POST", QStringLiteral("/api/snapshots"), body);
    if (!r.ok)
        return c.fail(r);
    QJsonObject snapshot = r.json.object();
    const QString id = str(snapshot, "id");
    if (!p.has(QStringLiteral("no-wait"))) {
        followLog(c, QStringLiteral("/api/snapshots/") + encoded(id) +
                         QStringLiteral("/build-logs?follow=true"));
        // The log ends with the build; the state follows it at once, or after a pull that wrote none.
        for (;;) {
            const app::ApiResult s = c.get(QStringLiteral("/api/snapshots/") + encoded(id));
            if (!s.ok)
                return c.fail(s);
            snapshot = s.json.object();
            if (!settling(str(snapshot, "state")))
                break;
            pause(250);
        }
    }
    const QString state = str(snapshot, "state");
    if (c.json())
        Context::printJson(QJsonDocument(snapshot));
    if (state == QLatin1String("error") || state == QLatin1String("build_failed")) {
        printErr(QStringLiteral("cove-cli: snapshot %1 failed to build (%2); fix the Dockerfile or image and "
                                "create it again after `cove-cli snapshot delete %1`.")
                     .arg(p.args.first(), orDash(str(snapshot, "errorReason"))));
        return kFailed;
    }
    if (!c.json())
        printOut(QStringLiteral("Snapshot %1 (%2) is %3.").arg(str(snapshot, "name"), id, state));
    return kOk;
}

int snapshotList(Context& c, const Parsed&) {
    const app::ApiResult r = c.get(QStringLiteral("/api/snapshots?limit=200"));
    if (const auto done = c.failedOrPrintedJson(r))
        return *done;
    QList<QStringList> rows;
    for (const QJsonValue& v : r.json.object().value(QStringLiteral("items")).toArray()) {
        const QJsonObject s = v.toObject();
        QString image = str(s, "imageName");
        if (image.isEmpty() && s.value(QStringLiteral("buildInfo")).isObject())
            image = QStringLiteral("(Dockerfile)");
        rows << QStringList{
            str(s, "name"),
            str(s, "state"),
            orDash(image),
            QString::number(s.value(QStringLiteral("cpu")).toInt()),
            QStringLiteral("%1G").arg(
                s.value(QStringLiteral("mem")).toInt(s.value(QStringLiteral("memory")).toInt())),
            QStringLiteral("%1G").arg(s.value(QStringLiteral("disk")).toInt()),
            ageOf(str(s, "createdAt")),
            str(s, "id")};
    }
    printTable({QStringLiteral("NAME"), QStringLiteral("STATE"), QStringLiteral("IMAGE"),
                QStringLiteral("CPU"), QStringLiteral("MEMORY"), QStringLiteral("DISK"),
                QStringLiteral("CREATED"), QStringLiteral("ID")},
               rows);
    return kOk;
}

int snapshotInfo(Context& c, const Parsed& p) {
    const app::ApiResult r = c.get(QStringLiteral("/api/snapshots/") + encoded(p.args.first()));
    if (const auto done = c.failedOrPrintedJson(r))
        return *done;
    const QJsonObject s = r.json.object();
    const QPair<const char*, const char*> fields[] = {{"ID", "id"},
                                                      {"Name", "name"},
                                                      {"State", "state"},
                                                      {"Error", "errorReason"},
                                                      {"Image", "imageName"},
                                                      {"vCPU", "cpu"},
                                                      {"Memory GiB", "mem"},
                                                      {"Disk GiB", "disk"},
                                                      {"Size GB", "size"},
                                                      {"Created", "createdAt"},
                                                      {"Last used", "lastUsedAt"}};
    for (const auto& [label, key] : fields) {
        const QJsonValue v = s.value(QLatin1String(key));
        const QString text = v.isDouble() ? QString::number(v.toDouble()) : v.toString();
        if (!text.isEmpty())
            printOut((QLatin1String(label) + QLatin1Char(':')).leftJustified(12) + text);
    }
    return kOk;
}

int snapshotDelete(Context& c, const Parsed& p) {
    return removeEach(c, p, QStringLiteral("snapshot"),
                      [](const QString& n) { return QStringLiteral("/api/snapshots/") + encoded(n); });
}

// ---- volume

int volumeCreate(Context& c, const Parsed& p) {
    const app::ApiResult r =
        c.call("POST", QStringLiteral("/api/volumes"), {{QStringLiteral("name"), p.args.first()}});
    if (const auto done = c.failedOrPrintedJson(r))
        return *done;
    const QJsonObject v = r.json.object();
    printOut(QStringLiteral("Volume %1 (%2) is %3.").arg(str(v, "name"), str(v, "id"), str(v, "state")));
    return kOk;
}

int volumeList(Context& c, const Parsed&) {
    const app::ApiResult r = c.get(QStringLiteral("/api/volumes"));
    if (const auto done = c.failedOrPrintedJson(r))
        return *done;
    QList<QStringList> rows;
    for (const QJsonValue& item : r.json.array()) {
        const QJsonObject v = item.toObject();
        const QJsonValue used = v.value(QStringLiteral("usedBytes"));
        rows << QStringList{str(v, "name"), str(v, "state"),
                            used.isDouble()
                                ? QStringLiteral("%1 MiB").arg(used.toDouble() / (1 << 20), 0, 'f', 1)
                                : QStringLiteral("-"),
                            ageOf(str(v, "createdAt")), str(v, "id")};
    }
    printTable({QStringLiteral("NAME"), QStringLiteral("STATE"), QStringLiteral("USED"),
                QStringLiteral("CREATED"), QStringLiteral("ID")},
               rows);
    return kOk;
}

int volumeDelete(Context& c, const Parsed& p) {
    return removeEach(c, p, QStringLiteral("volume"), [&c](const QString& n) {
        // By name first (what people type), else taken as an id.
        const app::ApiResult r = c.get(QStringLiteral("/api/volumes/by-name/") + encoded(n));
        const QString id = r.ok ? str(r.json.object(), "id") : n;
        if (!r.ok && r.status != 404) {
            c.fail(r);
            return QString();
        }
        return QStringLiteral("/api/volumes/") + encoded(id);
    });
}

// ---- key

int keyCreate(Context& c, const Parsed& p) {
    QStringList permissions;
    for (const QString& v : p.all(QStringLiteral("permission")))
        permissions << v.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (permissions.isEmpty())
        for (const char* s : app::kGrantableScopes)
            permissions << QLatin1String(s);
    QJsonObject body{{QStringLiteral("name"), p.args.first()},
                     {QStringLiteral("permissions"), QJsonArray::fromStringList(permissions)}};
    if (p.has(QStringLiteral("expires"))) {
        const QString e = p.value(QStringLiteral("expires"));
        bool isDays = false;
        const int days = e.toInt(&isDays);
        if (isDays && days > 0)
            body.insert(QStringLiteral("expiresAt"),
                        QDateTime::currentDateTimeUtc().addDays(days).toString(Qt::ISODateWithMs));
        else if (QDateTime::fromString(e, Qt::ISODateWithMs).isValid())
            body.insert(QStringLiteral("expiresAt"), e);
        else
            return usageError(c.spec(),
                              QStringLiteral("--expires takes a number of days or an ISO 8601 time, not "
                                             "'%1'")
                                  .arg(e));
    }
    const app::ApiResult r = c.call("POST", QStringLiteral("/api/api-keys"), body);
    if (const auto done = c.failedOrPrintedJson(r))
        return *done;
    const QJsonObject k = r.json.object();
    printOut(str(k, "value"));
    if (stderrIsTerminal())
        printErr(
            QStringLiteral("Key %1 created with %2. This is the only time its value is shown: keep it now.")
                .arg(str(k, "name"), permissions.join(QStringLiteral(", "))));
    return kOk;
}

int keyList(Context& c, const Parsed&) {
    const app::ApiResult r = c.get(QStringLiteral("/api/api-keys"));
    if (const auto done = c.failedOrPrintedJson(r))
        return *done;
    QList<QStringList> rows;
    for (const QJsonValue& item : r.json.array()) {
        const app::ApiKey k = app::ApiKey::fromJson(item.toObject());
        rows << QStringList{k.name,
                            k.value,
                            k.permissions.join(QLatin1Char(',')),
                            ageOf(k.createdAt),
                            ageOf(k.lastUsedAt),
                            k.expiresAt.isEmpty() ? QStringLiteral("never") : k.expiresAt};
    }
    printTable({QStringLiteral("NAME"), QStringLiteral("KEY"), QStringLiteral("PERMISSIONS"),
                QStringLiteral("CREATED"), QStringLiteral("USED"), QStringLiteral("EXPIRES")},
               rows);
    return kOk;
}

int keyDelete(Context& c, const Parsed& p) {
    return removeEach(c, p, QStringLiteral("key"),
                      [](const QString& n) { return QStringLiteral("/api/api-keys/") + encoded(n); });
}

// ---- audit

// An ISO 8601 time, or a span ago ("30m", "2h", "7d") as one.
QString timeArg(const QString& v) {
    static const QRegularExpression span(QStringLiteral("^(\\d+)([smhd])$"));
    const auto m = span.match(v);
    if (m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const qint64 unit = QStringLiteral("smhd").indexOf(m.captured(2)) == 0   ? 1
                            : QStringLiteral("smhd").indexOf(m.captured(2)) == 1 ? 60
                            : QStringLiteral("smhd").indexOf(m.captured(2)) == 2 ? 3600
                                                                                 : 86400;
        return QDateTime::currentDateTimeUtc().addSecs(-n * unit).toString(Qt::ISODate);
    }
    const QDateTime t = QDateTime::fromString(v, Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

int auditList(Context& c, const Parsed& p) {
    QString bad;
    QUrlQuery q;
    for (const char* t : {"from", "to"})
        if (p.has(QLatin1String(t))) {
            const QString v = timeArg(p.value(QLatin1String(t)));
            if (v.isEmpty())
                return usageError(c.spec(),
                                  QStringLiteral("--%1 takes an ISO 8601 time (2026-12-01T08:00:00Z) or "
                                                 "a span ago (30m, 2h, 7d)")
                                      .arg(QLatin1String(t)));
            q.addQueryItem(QLatin1String(t), v);
        }
    const QPair<const char*, const char*> filters[] = {{"action", "action"},
                                                       {"target-type", "targetType"},
                                                       {"target", "targetId"},
                                                       {"actor", "actor"},
                                                       {"outcome", "outcome"}};
    for (const auto& [option, field] : filters)
        if (p.has(QLatin1String(option)))
            q.addQueryItem(QLatin1String(field), p.value(QLatin1String(option)));
    const bool csv = p.has(QStringLiteral("csv"));
    if (csv && c.json())
        return usageError(c.spec(), QStringLiteral("give --json or --csv, not both"));
    if (csv || c.json()) {
        q.addQueryItem(QStringLiteral("format"), csv ? QStringLiteral("csv") : QStringLiteral("json"));
    } else {
        const int limit = intOption(p, QStringLiteral("limit"), 1, 1000, &bad).value_or(50);
        q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    }
    if (!bad.isEmpty())
        return usageError(c.spec(), bad);
    QString query;
    for (const auto& [k, v] : q.queryItems(QUrl::FullyDecoded))
        query += (query.isEmpty() ? QStringLiteral("?") : QStringLiteral("&")) + encoded(k) +
                 QLatin1Char('=') + encoded(v);
    const app::ApiResult r = c.get(QStringLiteral("/api/audit") + query);
    if (!r.ok)
        return c.fail(r);
    if (csv || c.json()) {
        c.printJson(r); // the export as coved made it
        return kOk;
    }
    QList<QStringList> rows;
    for (const QJsonValue& item : r.json.object().value(QStringLiteral("items")).toArray()) {
        const app::AuditEntry e = app::AuditEntry::fromJson(item.toObject());
        const QString actor = !e.actorEmail.isEmpty() ? e.actorEmail : orDash(e.actorKey);
        rows << QStringList{e.createdAt,
                            orDash(e.source),
                            actor,
                            e.action,
                            e.targetType + (e.targetId.isEmpty() ? QString() : QLatin1Char(' ') + e.targetId),
                            QString::number(e.statusCode),
                            e.errorMessage};
    }
    printTable({QStringLiteral("TIME"), QStringLiteral("SOURCE"), QStringLiteral("ACTOR"),
                QStringLiteral("ACTION"), QStringLiteral("TARGET"), QStringLiteral("STATUS"),
                QStringLiteral("ERROR")},
               rows);
    return kOk;
}

} // namespace

QList<Spec> resourceCommands() {
    QList<Spec> out;
    out << Spec{
        QStringLiteral("snapshot create"),
        QStringLiteral("NAME"),
        QStringLiteral("Create a snapshot from an image or a Dockerfile, printing the build's log until "
                       "it is active."),
        QStringLiteral("The log goes to stderr as coved writes it; the exit code is 0 once the snapshot "
                       "is active,\n1 when the build or pull failed. With --context DIR the files of DIR "
                       "are uploaded first (as\nthe Daytona SDK's Image.addLocalDir does, each top-level "
                       "entry a context of its own),\nso COPY and ADD find them as with `docker build "
                       "DIR`; .dockerignore is not read."),
        {{QStringLiteral("image"), QLatin1Char('i'), QStringLiteral("IMAGE"),
          QStringLiteral("an image of the Docker engine or a registry (debian:12)")},
         {QStringLiteral("dockerfile"), QLatin1Char('f'), QStringLiteral("FILE"),
          QStringLiteral("build this Dockerfile (- reads it from stdin)")},
         {QStringLiteral("context"), QLatin1Char('c'), QStringLiteral("DIR"),
          QStringLiteral("the files COPY and ADD take (its Dockerfile unless --dockerfile)")},
         {QStringLiteral("entrypoint"),
          {},
          QStringLiteral("COMMAND"),
          QStringLiteral("the command sandboxes run (words separated by spaces)")},
         {QStringLiteral("cpu"), {}, QStringLiteral("N"), QStringLiteral("default vCPUs of its sandboxes")},
         {QStringLiteral("memory"), {}, QStringLiteral("GIB"), QStringLiteral("default memory")},
         {QStringLiteral("disk"), {}, QStringLiteral("GIB"), QStringLiteral("default disk")},
         {QStringLiteral("no-wait"), {}, {}, QStringLiteral("answer at once; do not follow the build")},
         kJson},
        1,
        1,
        true,
        snapshotCreate};
    out << Spec{QStringLiteral("snapshot list"),
                {},
                QStringLiteral("List snapshots."),
                {},
                {kJson},
                0,
                0,
                true,
                snapshotList};
    out << Spec{QStringLiteral("snapshot info"),
                QStringLiteral("NAME|ID"),
                QStringLiteral("Show one snapshot."),
                {},
                {kJson},
                1,
                1,
                true,
                snapshotInfo};
    out << Spec{QStringLiteral("snapshot delete"),
                QStringLiteral("NAME|ID…"),
                QStringLiteral("Delete snapshots (and the images Cove built for them)."),
                QStringLiteral("Asks first; without a terminal it needs -y (else exit code 2)."),
                {kYes, kJson},
                1,
                -1,
                true,
                snapshotDelete};
    out << Spec{
        QStringLiteral("volume create"),
        QStringLiteral("NAME"),
        QStringLiteral("Create a volume: a folder sandboxes can mount (sandbox create -v NAME:/data)."),
        {},
        {kJson},
        1,
        1,
        true,
        volumeCreate};
    out << Spec{QStringLiteral("volume list"),
                {},
                QStringLiteral("List volumes."),
                {},
                {kJson},
                0,
                0,
                true,
                volumeList};
    out << Spec{QStringLiteral("volume delete"),
                QStringLiteral("NAME|ID…"),
                QStringLiteral("Delete volumes and their files."),
                QStringLiteral("Asks first; without a terminal it needs -y (else exit code 2)."),
                {kYes, kJson},
                1,
                -1,
                true,
                volumeDelete};
    out << Spec{
        QStringLiteral("key create"),
        QStringLiteral("NAME"),
        QStringLiteral("Create an API key and print its value (shown this once only)."),
        QStringLiteral("The value alone goes to stdout: KEY=$(cove-cli key create ci). Permissions: "
                       "write:sandboxes,\ndelete:sandboxes, write:snapshots, delete:snapshots, "
                       "read:volumes, write:volumes,\ndelete:volumes, read:audit_logs; all of these when "
                       "none is given."),
        {{QStringLiteral("permission"), QLatin1Char('p'), QStringLiteral("SCOPE"),
          QStringLiteral("a permission (or several, comma-separated)"), true},
         {QStringLiteral("expires"),
          {},
          QStringLiteral("DAYS|TIME"),
          QStringLiteral("expire after DAYS days or at an ISO 8601 TIME (default: never)")},
         kJson},
        1,
        1,
        true,
        keyCreate};
    out << Spec{QStringLiteral("key list"),
                {},
                QStringLiteral("List API keys (their values masked)."),
                {},
                {kJson},
                0,
                0,
                true,
                keyList};
    out << Spec{QStringLiteral("key delete"),
                QStringLiteral("NAME…"),
                QStringLiteral("Revoke API keys."),
                QStringLiteral("Asks first; without a terminal it needs -y (else exit code 2)."),
                {kYes, kJson},
                1,
                -1,
                true,
                keyDelete};
    out << Spec{
        QStringLiteral("audit list"),
        {},
        QStringLiteral("List the audit log, newest first, or export it as JSON or CSV."),
        QStringLiteral("--json and --csv export every entry the filters match (coved's export); the "
                       "table shows\nthe newest --limit entries. Times are ISO 8601 or a span ago: "
                       "--from 2h."),
        {{QStringLiteral("from"), {}, QStringLiteral("TIME"), QStringLiteral("entries at or after TIME")},
         {QStringLiteral("to"), {}, QStringLiteral("TIME"), QStringLiteral("entries at or before TIME")},
         {QStringLiteral("action"), {}, QStringLiteral("ACTION"), QStringLiteral("create, delete, start…")},
         {QStringLiteral("target-type"),
          {},
          QStringLiteral("TYPE"),
          QStringLiteral("sandbox, snapshot, volume, api_key…")},
         {QStringLiteral("target"), {}, QStringLiteral("ID"), QStringLiteral("entries about this id")},
         {QStringLiteral("actor"), {}, QStringLiteral("ACTOR"), QStringLiteral("entries by this actor")},
         {QStringLiteral("outcome"),
          {},
          QStringLiteral("OUTCOME"),
          QStringLiteral("success, error or a status such as 403")},
         {QStringLiteral("limit"),
          {},
          QStringLiteral("N"),
          QStringLiteral("entries in the table (default 50)")},
         {QStringLiteral("csv"), {}, {}, QStringLiteral("export as CSV")},
         kJson},
        0,
        0,
        true,
        auditList};
    return out;
}

} // namespace cove::cli
