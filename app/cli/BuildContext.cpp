// A build context as the Daytona SDK uploads one (Image.addLocalDir): each top-level entry of the folder
// is a context of its own, a tar whose first entry is that file or folder, named by the MD5 of its
// archive path and content (coved checks it: BuildContexts.h), PUT into coved's object storage with
// the temporary credentials of /api/object-storage/push-access, signed with AWS Signature V4. A build
// given their hashes sees the entries at the root of its context, as `docker build DIR` would.
#include "app/cli/Command.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMessageAuthenticationCode>
#include <QNetworkReply>
#include <QUrl>

#include <cstring>
#include <map>

namespace cove::cli {

namespace {

constexpr qint64 kMaxContextBytes = 256ll << 20; // what coved keeps of one context

// One tar entry: a ustar header (with a GNU long-name entry first when the path is long) and the data.
void tarEntry(QByteArray& out, const QByteArray& path, char type, const QByteArray& data) {
    auto header = [&out](const QByteArray& name, char kind, qint64 size) {
        QByteArray h(512, '\0');
        std::memcpy(h.data(), name.constData(), size_t(qMin<qsizetype>(name.size(), 100)));
        auto octal = [&h](int at, int width, qint64 v) {
            const QByteArray digits = QByteArray::number(v, 8).rightJustified(width - 1, '0');
            std::memcpy(h.data() + at, digits.constData(), size_t(width - 1));
        };
        octal(100, 8, kind == '5' ? 0755 : 0644);
        octal(108, 8, 0);
        octal(116, 8, 0);
        octal(124, 12, size);
        octal(136, 12, QDateTime::currentSecsSinceEpoch());
        h[156] = kind;
        std::memcpy(h.data() + 257,
                    "ustar\0"
                    "00",
                    8);
        std::memset(h.data() + 148, ' ', 8);
        unsigned sum = 0;
        for (unsigned char c : h)
            sum += c;
        octal(148, 7, sum);
        out += h;
    };
    auto body = [&out](const QByteArray& d) {
        out += d;
        out += QByteArray((512 - d.size() % 512) % 512, '\0');
    };
    if (path.size() > 99) {
        const QByteArray name = path + '\0';
        header("././@LongLink", 'L', name.size());
        body(name);
    }
    header(path, type, data.size());
    body(data);
}

struct Dir {
    std::map<QByteArray, Dir> dirs; // byte order, as coved walks them
    std::map<QByteArray, QByteArray> files;
};

void hashDir(const Dir& dir, const QByteArray& rel, QCryptographicHash& md5) {
    std::map<QByteArray, std::pair<const Dir*, const QByteArray*>> listing;
    for (const auto& [name, sub] : dir.dirs)
        listing[name].first = &sub;
    for (const auto& [name, data] : dir.files)
        listing[name].second = &data;
    if (listing.empty())
        md5.addData(rel);
    for (const auto& [name, item] : listing) {
        const QByteArray path = rel.isEmpty() ? name : rel + '/' + name;
        if (item.first)
            hashDir(*item.first, path, md5);
        if (item.second) {
            md5.addData(path);
            md5.addData(*item.second);
        }
    }
}

struct Packed {
    QByteArray tar;
    QString hash;
    QString error;
};

// The context of one file or folder `entry`, under its name.
Packed pack(const QFileInfo& entry) {
    Packed p;
    const QByteArray root = entry.fileName().toUtf8();
    QCryptographicHash md5(QCryptographicHash::Md5);
    md5.addData(root);
    if (entry.isFile()) {
        QFile f(entry.filePath());
        if (!f.open(QIODevice::ReadOnly)) {
            p.error = QStringLiteral("cannot read %1 (%2)").arg(entry.filePath(), f.errorString());
            return p;
        }
        const QByteArray data = f.readAll();
        tarEntry(p.tar, root, '0', data);
        md5.addData(data);
    } else {
        tarEntry(p.tar, root + '/', '5', {});
        Dir tree;
        QDirIterator it(entry.filePath(),
                        QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::NoSymLinks,
                        QDirIterator::Subdirectories);
        const QDir base(entry.absoluteFilePath());
        while (it.hasNext()) {
            it.next();
            const QFileInfo fi = it.fileInfo();
            const QByteArray rel = base.relativeFilePath(fi.absoluteFilePath()).toUtf8();
            Dir* at = &tree;
            const QList<QByteArray> parts = rel.split('/');
            for (qsizetype i = 0; i + 1 < parts.size(); ++i)
                at = &at->dirs[parts.at(i)];
            if (fi.isDir()) {
                at->dirs[parts.last()];
                tarEntry(p.tar, root + '/' + rel + '/', '5', {});
            } else if (fi.isFile()) {
                QFile f(fi.filePath());
                if (!f.open(QIODevice::ReadOnly)) {
                    p.error = QStringLiteral("cannot read %1 (%2)").arg(fi.filePath(), f.errorString());
                    return p;
                }
                const QByteArray data = f.readAll();
                at->files[parts.last()] = data;
                tarEntry(p.tar, root + '/' + rel, '0', data);
            }
            if (p.tar.size() > kMaxContextBytes)
                break;
        }
        hashDir(tree, {}, md5);
    }
    p.tar += QByteArray(1024, '\0');
    if (p.tar.size() > kMaxContextBytes)
        p.error = QStringLiteral("%1 is larger than the 256 MiB coved keeps of one build context")
                      .arg(entry.filePath());
    p.hash = QString::fromLatin1(md5.result().toHex());
    return p;
}

QByteArray sha256Hex(const QByteArray& data) {
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

QByteArray hmac(const QByteArray& key, const QByteArray& message) {
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

// PUT `body` at `url`, signed with the push-access credentials; answers the HTTP status and the body.
QPair<int, QByteArray> signedPut(Context& c, const QJsonObject& access, const QUrl& url,
                                 const QByteArray& body) {
    const QByteArray date =
        QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMddThhmmssZ")).toLatin1();
    const QByteArray day = date.left(8);
    const QByteArray region =
        access.value(QStringLiteral("region")).toString(QStringLiteral("us-east-1")).toLatin1();
    const QByteArray payload = sha256Hex(body);
    const QByteArray token = access.value(QStringLiteral("sessionToken")).toString().toLatin1();
    const QByteArray signedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-security-token";
    const QByteArray canonical = "PUT\n" + url.path(QUrl::FullyEncoded).toLatin1() +
                                 "\n\nhost:" + url.authority().toLatin1() +
                                 "\nx-amz-content-sha256:" + payload + "\nx-amz-date:" + date +
                                 "\nx-amz-security-token:" + token + "\n\n" + signedHeaders + "\n" + payload;
    const QByteArray scope = day + "/" + region + "/s3/aws4_request";
    const QByteArray toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + sha256Hex(canonical);
    QByteArray key = "AWS4" + access.value(QStringLiteral("secret")).toString().toLatin1();
    for (const QByteArray& part : {day, region, QByteArray("s3"), QByteArray("aws4_request")})
        key = hmac(key, part);
    QNetworkRequest req(url);
    req.setRawHeader(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=" + access.value(QStringLiteral("accessKey")).toString().toLatin1() +
            "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + hmac(key, toSign).toHex());
    req.setRawHeader("x-amz-date", date);
    req.setRawHeader("x-amz-content-sha256", payload);
    req.setRawHeader("x-amz-security-token", token);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/x-tar"));
    QNetworkReply* reply = c.client().network()->put(req, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

QString xmlField(const QByteArray& xml, const char* tag) {
    const QByteArray open = QByteArray("<") + tag + ">";
    const qsizetype at = xml.indexOf(open);
    if (at < 0)
        return {};
    const qsizetype start = at + open.size();
    return QString::fromUtf8(xml.mid(start, xml.indexOf(QByteArray("</") + tag + ">", start) - start));
}

} // namespace

std::optional<QJsonArray> uploadBuildContext(Context& c, const QString& dir, int* exitCode) {
    const QFileInfo info(dir);
    if (!info.isDir()) {
        *exitCode = usageError(c.spec(), QStringLiteral("the build context %1 is not a folder").arg(dir));
        return std::nullopt;
    }
    const QFileInfoList entries = QDir(dir).entryInfoList(
        QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot | QDir::NoSymLinks, QDir::Name);
    if (entries.isEmpty()) {
        *exitCode = usageError(c.spec(), QStringLiteral("the build context %1 is empty").arg(dir));
        return std::nullopt;
    }
    const app::ApiResult grant = c.get(QStringLiteral("/api/object-storage/push-access"));
    if (!grant.ok) {
        *exitCode = c.fail(grant);
        return std::nullopt;
    }
    const QJsonObject access = grant.json.object();
    const QString storage = access.value(QStringLiteral("storageUrl")).toString();
    const QString prefix = QStringLiteral("%1/%2/%3/")
                               .arg(storage, access.value(QStringLiteral("bucket")).toString(),
                                    access.value(QStringLiteral("organizationId")).toString());
    QJsonArray hashes;
    for (const QFileInfo& entry : entries) {
        const Packed p = pack(entry);
        if (!p.error.isEmpty()) {
            *exitCode = usageError(c.spec(), p.error);
            return std::nullopt;
        }
        if (stderrIsTerminal())
            printErr(QStringLiteral("Uploading %1 (%2 KiB) of the build context…")
                         .arg(entry.fileName())
                         .arg(p.tar.size() / 1024));
        const auto [status, body] =
            signedPut(c, access, QUrl(prefix + p.hash + QStringLiteral("/context.tar")), p.tar);
        if (status != 200) {
            QString message = xmlField(body, "Message");
            if (message.isEmpty())
                message = QStringLiteral("coved's object storage answered %1 to the build context %2")
                              .arg(status)
                              .arg(entry.fileName());
            *exitCode = c.report(status, {}, message, {});
            return std::nullopt;
        }
        hashes.append(p.hash);
    }
    return hashes;
}

int addBuildInfo(Context& c, const Parsed& p, QJsonObject* body) {
    const QString context = p.value(QStringLiteral("context"));
    QString path = p.value(QStringLiteral("dockerfile"));
    if (path.isEmpty())
        path = QDir(context).filePath(QStringLiteral("Dockerfile"));
    QFile f(path == QLatin1String("-") ? QString() : path);
    const bool opened =
        path == QLatin1String("-") ? f.open(stdin, QIODevice::ReadOnly) : f.open(QIODevice::ReadOnly);
    if (!opened)
        return usageError(c.spec(),
                          QStringLiteral("cannot read the Dockerfile %1 (%2)").arg(path, f.errorString()));
    QJsonObject info{{QStringLiteral("dockerfileContent"), QString::fromUtf8(f.readAll())}};
    if (!context.isEmpty()) {
        int code = kOk;
        const auto hashes = uploadBuildContext(c, context, &code);
        if (!hashes)
            return code;
        info.insert(QStringLiteral("contextHashes"), *hashes);
    }
    body->insert(QStringLiteral("buildInfo"), info);
    return kOk;
}

} // namespace cove::cli
