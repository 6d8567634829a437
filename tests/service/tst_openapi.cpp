// GET /api/openapi.json against the route table: the document a real coved serves names every route with
// its method, path, access, body and reply, and nothing else; every reference resolves; it is a valid
// OpenAPI document (@apidevtools/swagger-parser) and real replies match its schemas
// (tests/compat/openapi.mjs).
#include "service/api/Routes.h"
#include "support/CovedProcess.h"
#include "support/Http.h"
#include "support/RouteTable.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QtTest>

#include <set>

using namespace cove;
using cove::test::CovedProcess;
using nlohmann::json;
using verb = http::bhttp::verb;

namespace {

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string methodOf(const api::Route& r) {
    return lower(std::string(http::bhttp::to_string(r.method)));
}

// The route's pattern as OpenAPI writes a path: "{*rest}" is "{rest}".
std::string documentedPath(const std::string& pattern) {
    std::string out = pattern;
    for (auto at = out.find("{*"); at != std::string::npos; at = out.find("{*", at))
        out.erase(at + 1, 1);
    return out;
}

// The names of the {parameters} of a path or pattern, in order.
std::vector<std::string> pathParams(const std::string& path) {
    std::vector<std::string> names;
    for (auto open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
        const auto close = path.find('}', open);
        std::string name = path.substr(open + 1, close - open - 1);
        if (!name.empty() && name[0] == '*')
            name.erase(0, 1);
        names.push_back(name);
    }
    return names;
}

bool mutating(verb m) {
    return m == verb::post || m == verb::put || m == verb::patch || m == verb::delete_;
}

QString nameOf(const api::Route& r) {
    return QString::fromStdString(std::string(http::bhttp::to_string(r.method)) + " " + r.pattern);
}

// Every "$ref" in `node`, with where it is.
void collectRefs(const json& node, const std::string& at,
                 std::vector<std::pair<std::string, std::string>>& out) {
    if (node.is_object()) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (it.key() == "$ref" && it.value().is_string())
                out.emplace_back(it.value().get<std::string>(), at);
            else
                collectRefs(it.value(), at + "/" + it.key(), out);
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            collectRefs(node[i], at + "/" + std::to_string(i), out);
    }
}

} // namespace

class TestOpenApi : public QObject {
    Q_OBJECT
    cove::test::RouteTable table;
    const api::Router& router = table.router; // the table coved builds
    CovedProcess coved;
    json doc;

    const json* operationOf(const api::Route& r) const {
        const auto path = doc["paths"].find(documentedPath(r.pattern));
        if (path == doc["paths"].end())
            return nullptr;
        const auto op = path->find(methodOf(r));
        return op == path->end() ? nullptr : &*op;
    }

private slots:
    void initTestCase() {
        QVERIFY(router.routes().size() > 50);

        QVERIFY2(coved.start({QStringLiteral("--warm-pool"), QStringLiteral("0")}),
                 qPrintable(coved.error()));
        // Public, as Daytona's documents are: no key.
        const auto reply = cove::test::request("GET", coved.apiUrl() + QStringLiteral("/openapi.json"));
        QCOMPARE(reply.status, 200);
        doc = json::parse(reply.body.toStdString(), nullptr, false);
        QVERIFY2(doc.is_object(), reply.body.left(200).constData());
        QCOMPARE(QString::fromStdString(doc.value("openapi", "")), QStringLiteral("3.1.0"));
        QVERIFY(doc["paths"].is_object());
        QVERIFY(doc["components"]["schemas"].is_object());
    }

    void everyRouteIsDocumented() {
        for (const auto& r : router.routes()) {
            const QString name = nameOf(r);
            QVERIFY2(!r.doc.summary.empty(), qPrintable(name + " has no RouteDoc (summary)"));
            QVERIFY2(!r.doc.reply.empty(), qPrintable(name + " documents no reply"));
            const json* op = operationOf(r);
            QVERIFY2(op, qPrintable(name + " is missing from the document"));
            QCOMPARE(QString::fromStdString(op->value("summary", "")), QString::fromStdString(r.doc.summary));

            // Its access, as the route table declares it.
            static const std::map<api::Access::Kind, std::string> kinds = {
                {api::Access::Kind::Public, "public"}, {api::Access::Kind::AnyKey, "any-key"},
                {api::Access::Kind::Scope, "scope"},   {api::Access::Kind::InBand, "in-band"},
                {api::Access::Kind::Admin, "admin"},   {api::Access::Kind::Undeclared, "undeclared"}};
            QCOMPARE(QString::fromStdString(op->value("x-cove-access", "")),
                     QString::fromStdString(kinds.at(r.access.kind)));
            if (r.access.kind == api::Access::Kind::Scope)
                QCOMPARE(QString::fromStdString(op->value("x-cove-scope", "")),
                         QString::fromStdString(r.access.scope));
            else
                QVERIFY2(!op->contains("x-cove-scope"), qPrintable(name));
            const bool keyed = r.access.kind == api::Access::Kind::AnyKey ||
                               r.access.kind == api::Access::Kind::Scope ||
                               r.access.kind == api::Access::Kind::Admin;
            std::set<std::string> schemes;
            for (const auto& requirement : (*op)["security"])
                for (auto it = requirement.begin(); it != requirement.end(); ++it)
                    schemes.insert(it.key());
            QVERIFY2(schemes.count("bearer") == (keyed ? 1u : 0u), qPrintable(name + ": bearer"));
            // A route that takes other proofs than a key says which; one that does not, names none.
            QVERIFY2((schemes.size() > (keyed ? 1u : 0u)) == bool(r.signedAuth),
                     qPrintable(name + ": its signed or token access is not documented as it is"));
            for (const auto& s : schemes)
                QVERIFY2(doc["components"]["securitySchemes"].contains(s),
                         qPrintable(name + ": " + s.c_str()));
            const std::string description = op->value("description", "");
            QVERIFY2(description.find("Access: ") != std::string::npos,
                     qPrintable(name + ": no access sentence"));

            // Its body: mutating routes say what they take, or that they take nothing.
            if (mutating(r.method)) {
                QVERIFY2(!r.doc.request.empty(),
                         qPrintable(name + " documents no request body nor its absence"));
                QVERIFY2(op->contains("requestBody") != op->value("x-cove-no-body", false),
                         qPrintable(name + ": a body and a no-body note, or neither"));
            }
            // Its reply: the success status, and every refusal in the error shape.
            QVERIFY2((*op)["responses"].contains(r.doc.reply == api::RouteDoc::kWebSocket
                                                     ? std::string("101")
                                                     : std::to_string(r.doc.status)),
                     qPrintable(name + ": its success status is not documented"));
            QVERIFY2((*op)["responses"].contains("default"), qPrintable(name));
            // Its audit row.
            const bool audited = !r.audit.action.empty() || bool(r.audit.resolveAction);
            QVERIFY2(op->contains("x-cove-audit") == audited, qPrintable(name + ": x-cove-audit"));
            if (!r.audit.action.empty())
                QCOMPARE(QString::fromStdString((*op)["x-cove-audit"].value("action", "")),
                         QString::fromStdString(r.audit.action));

            // Its parameters: exactly the path's, and every documented query parameter.
            std::vector<std::string> inPath;
            std::set<std::string> inQuery;
            for (const auto& p : op->value("parameters", json::array())) {
                if (p.value("in", "") == "path") {
                    inPath.push_back(p.value("name", ""));
                    QVERIFY2(p.value("required", false), qPrintable(name));
                } else if (p.value("in", "") == "query") {
                    inQuery.insert(p.value("name", ""));
                }
            }
            QVERIFY2(inPath == pathParams(r.pattern), qPrintable(name + ": path parameters"));
            for (const auto& q : r.doc.query)
                QVERIFY2(inQuery.count(q.name), qPrintable(name + ": query " + q.name.c_str()));
            if (r.pattern.find("{*") != std::string::npos)
                QVERIFY2(op->dump().find("x-cove-catch-all") != std::string::npos, qPrintable(name));
        }
    }

    void noDocumentedPathLacksARoute() {
        std::set<std::pair<std::string, std::string>> routes;
        for (const auto& r : router.routes())
            routes.insert({documentedPath(r.pattern), methodOf(r)});
        std::size_t operations = 0;
        std::set<std::string> operationIds;
        for (auto path = doc["paths"].begin(); path != doc["paths"].end(); ++path) {
            QVERIFY2(static_cast<std::ptrdiff_t>(pathParams(path.key()).size()) ==
                         std::count(path.key().begin(), path.key().end(), '}'),
                     qPrintable(QString::fromStdString(path.key())));
            for (auto op = path->begin(); op != path->end(); ++op) {
                const QString name = QString::fromStdString(op.key() + " " + path.key());
                QVERIFY2(routes.count({path.key(), op.key()}), qPrintable(name + " has no route"));
                ++operations;
                QVERIFY2(operationIds.insert(op->value("operationId", "")).second,
                         qPrintable(name + ": operationId not unique"));
                // The path reaches that very route: fill each parameter in and ask the router.
                std::string sample = path.key();
                for (auto open = sample.find('{'); open != std::string::npos; open = sample.find('{'))
                    sample.replace(open, sample.find('}', open) - open + 1, "x1");
                const auto method =
                    http::bhttp::string_to_verb(QString::fromStdString(op.key()).toUpper().toStdString());
                const auto m = router.match(method, sample);
                QVERIFY2(m.route && documentedPath(m.route->pattern) == path.key(),
                         qPrintable(name + " reaches another route"));
            }
        }
        QCOMPARE(operations, router.routes().size());
    }

    void everyReferenceResolves() {
        std::vector<std::pair<std::string, std::string>> refs;
        collectRefs(doc, "", refs);
        QVERIFY(refs.size() > 100);
        std::set<std::string> usedSchemas;
        for (const auto& [ref, at] : refs) {
            QVERIFY2(ref.rfind("#/", 0) == 0, qPrintable(QString::fromStdString(at + ": " + ref)));
            const json::json_pointer pointer(ref.substr(1));
            QVERIFY2(doc.contains(pointer),
                     qPrintable(QString::fromStdString(at + ": " + ref + " resolves to nothing")));
            if (ref.rfind("#/components/schemas/", 0) == 0)
                usedSchemas.insert(ref.substr(21));
        }
        // And no schema is left over from a route that went.
        for (auto it = doc["components"]["schemas"].begin(); it != doc["components"]["schemas"].end(); ++it)
            QVERIFY2(usedSchemas.count(it.key()),
                     qPrintable(QString::fromStdString(it.key() + " is used nowhere")));
    }

    void validAndRepliesMatch() {
        const QString dir = QStringLiteral(COVE_SOURCE_DIR "/tests/compat");
        QVERIFY2(
            QFile::exists(dir + QStringLiteral("/node_modules/@apidevtools/swagger-parser/package.json")),
            "run 'npm ci' in tests/compat (installer/setup.sh test does)");
        QProcess node;
        node.setWorkingDirectory(dir);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("COVE_URL"), coved.url());
        env.insert(QStringLiteral("COVE_API_KEY"), coved.adminKey());
        node.setProcessEnvironment(env);
        QElapsedTimer took;
        took.start();
        node.start(QStringLiteral("node"), {QStringLiteral("openapi.mjs")});
        QVERIFY(node.waitForStarted());
        const bool ended = node.waitForFinished(120000);
        if (!ended)
            node.kill();
        const QString out = QString::fromUtf8(node.readAllStandardOutput());
        const QString err = QString::fromUtf8(node.readAllStandardError());
        qInfo("openapi.mjs took %lld ms:\n%s", took.elapsed(), qPrintable(out.trimmed()));
        // Whatever went wrong, without the checks that passed (the whole output is above).
        QStringList wrong;
        for (const QString& line : out.split(QLatin1Char('\n')))
            if (!line.startsWith(QStringLiteral("ok ")))
                wrong << line;
        const QString why = wrong.join(QLatin1Char('\n')) + err;
        QVERIFY2(ended, qPrintable(QStringLiteral("openapi.mjs did not end: ") + why));
        QVERIFY2(node.exitCode() == 0, qPrintable(why));
        QVERIFY2(out.contains(QStringLiteral("ok valid OpenAPI 3.1.0")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("ok the schemas refuse unknown and missing fields")),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("ok POST /api/sandbox 200")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("ok GET /api/sandbox/{id} 404")), qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("ok every reply matches the document")), qPrintable(out));
        QVERIFY2(out.count(QStringLiteral("\nok ")) >= 30, qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestOpenApi)
#include "tst_openapi.moc"
