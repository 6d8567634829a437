// The route table and its matching: every route declares who may call it; paths and queries decode.
#include "service/api/Routes.h"
#include "support/RouteTable.h"

#include <QtTest>

using namespace cove;
using verb = http::bhttp::verb;

class TestRouter : public QObject {
    Q_OBJECT
    cove::test::RouteTable table;
    const api::Router& router = table.router; // the table coved builds

private slots:
    void initTestCase() { QVERIFY(router.routes().size() > 5); }

    void everyRouteDeclaresAccess() {
        QStringList publicRoutes, inBand;
        for (const auto& r : router.routes()) {
            const QString name = QString::fromUtf8(std::string(http::bhttp::to_string(r.method)).c_str()) +
                                 QLatin1Char(' ') + QString::fromStdString(r.pattern);
            QVERIFY2(r.access.kind != api::Access::Kind::Undeclared,
                     qPrintable(name + " declares no access"));
            if (r.access.kind == api::Access::Kind::Scope)
                QVERIFY2(!r.access.scope.empty(), qPrintable(name));
            if (r.access.kind == api::Access::Kind::Public)
                publicRoutes << name;
            if (r.access.kind == api::Access::Kind::InBand) {
                inBand << name;
                QVERIFY2(r.upgrade || r.tunnel,
                         qPrintable(name + " authenticates in band but is no WebSocket route"));
            }
            QVERIFY2(r.pattern.starts_with("/api/") || r.pattern.starts_with("/toolbox/") ||
                         r.pattern.starts_with("/terminal/") || r.pattern.starts_with("/web/"),
                     qPrintable(name));
        }
        // The web terminal's page and files are static and hold no secret, nor does the API's document;
        // the terminal's socket checks a token. Readiness names no address, only which part is down.
        QCOMPARE(publicRoutes,
                 (QStringList{QStringLiteral("GET /api/health"), QStringLiteral("GET /api/health/ready"),
                              QStringLiteral("GET /terminal/{id}"), QStringLiteral("GET /web/{name}"),
                              QStringLiteral("GET /api/openapi.json")}));
        QCOMPARE(inBand, (QStringList{QStringLiteral("GET /api/socket.io"),
                                      QStringLiteral("GET /terminal/{id}/socket")}));
    }

    void everyChangingRouteIsAudited() {
        // POST, PUT, PATCH and DELETE each write one audit row under a Daytona action name.
        for (const auto& r : router.routes()) {
            if (r.method == verb::get || r.access.kind == api::Access::Kind::Public)
                continue;
            const QString name = QString::fromUtf8(std::string(http::bhttp::to_string(r.method)).c_str()) +
                                 QLatin1Char(' ') + QString::fromStdString(r.pattern);
            QVERIFY2(!r.audit.action.empty() || r.audit.resolveAction, qPrintable(name + " is not audited"));
            QVERIFY2(!r.audit.targetType.empty(), qPrintable(name + " names no audit target type"));
            if (!r.audit.targetParam.empty())
                QVERIFY2(r.pattern.find("{" + r.audit.targetParam + "}") != std::string::npos ||
                             r.pattern.find("{*" + r.audit.targetParam + "}") != std::string::npos,
                         qPrintable(name + " audits a parameter it does not have"));
        }
    }

    void toolboxCallsMapToDaytonaActions() {
        const auto actionOf = [&](verb method, const std::string& path) -> QString {
            http::Request req{method, path, 11};
            auto m = router.match(method, path);
            api::RequestContext ctx{req, m.params, {}, std::nullopt, {}};
            const auto a = m.route->audit.resolveAction(ctx);
            return a ? QString::fromStdString(*a) : QString();
        };
        QCOMPARE(actionOf(verb::post, "/toolbox/s/process/execute"),
                 QStringLiteral("toolbox_execute_command"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/process/session"),
                 QStringLiteral("toolbox_create_session"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/process/session/x/exec"),
                 QStringLiteral("toolbox_session_execute_command"));
        QCOMPARE(actionOf(verb::delete_, "/toolbox/s/files"), QStringLiteral("toolbox_delete_file"));
        QCOMPARE(actionOf(verb::get, "/toolbox/s/files/download"), QStringLiteral("toolbox_download_file"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/files/bulk-upload"),
                 QStringLiteral("toolbox_bulk_upload_files"));
        QCOMPARE(actionOf(verb::delete_, "/toolbox/s/git/branches"),
                 QStringLiteral("toolbox_git_delete_branch"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/toolbox/git/clone"),
                 QStringLiteral("toolbox_git_clone_repository"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/computeruse/process/xvfb/restart"),
                 QStringLiteral("toolbox_computer_use_restart_process"));
        // A recording is a file of the sandbox.
        QCOMPARE(actionOf(verb::get, "/toolbox/s/computeruse/recordings/r/download"),
                 QStringLiteral("toolbox_download_file"));
        QCOMPARE(actionOf(verb::delete_, "/toolbox/s/computeruse/recordings/r"),
                 QStringLiteral("toolbox_delete_file"));
        QCOMPARE(actionOf(verb::get, "/toolbox/s/computeruse/recordings/r"), QString());
        QCOMPARE(actionOf(verb::post, "/toolbox/s/lsp/start"), QStringLiteral("toolbox_lsp_start"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/lsp/stop"), QStringLiteral("toolbox_lsp_stop"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/lsp/did-open"), QString());
        QCOMPARE(actionOf(verb::post, "/toolbox/s/git/config/user"),
                 QStringLiteral("toolbox_git_configure_user"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/git/config"), QStringLiteral("toolbox_git_set_config"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/git/remotes"), QStringLiteral("toolbox_git_add_remote"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/git/reset"), QStringLiteral("toolbox_git_reset_changes"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/git/restore"), QStringLiteral("toolbox_git_restore_files"));
        QCOMPARE(actionOf(verb::post, "/toolbox/s/git/credentials"),
                 QStringLiteral("toolbox_git_authenticate"));
        QCOMPARE(actionOf(verb::get, "/toolbox/s/git/config"), QString());
        QCOMPARE(actionOf(verb::get, "/toolbox/s/files"), QString()); // reads are not recorded
        QCOMPARE(actionOf(verb::get, "/toolbox/s/process/session"), QString());
    }

    void changingRoutesNeedScopes() {
        for (const auto& r : router.routes()) {
            if (r.method == verb::post && r.pattern == "/api/sandbox")
                QCOMPARE(QString::fromStdString(r.access.scope), QStringLiteral("write:sandboxes"));
            if (r.method == verb::delete_ && r.pattern == "/api/sandbox/{id}")
                QCOMPARE(QString::fromStdString(r.access.scope), QStringLiteral("delete:sandboxes"));
        }
    }

    void matchesParamsAndWildcards() {
        auto m = router.match(verb::get, "/api/sandbox/abc%20def");
        QVERIFY(m.route);
        QCOMPARE(QString::fromStdString(m.params.at("id")), QStringLiteral("abc def"));

        m = router.match(verb::post, "/toolbox/s1/process/execute");
        QVERIFY(m.route);
        QCOMPARE(QString::fromStdString(m.params.at("path")), QStringLiteral("process/execute"));

        m = router.match(verb::patch, "/api/sandbox");
        QVERIFY(!m.route);
        QVERIFY(m.pathKnown); // 405, not 404

        m = router.match(verb::get, "/api/nothing-here");
        QVERIFY(!m.route);
        QVERIFY(!m.pathKnown);

        QVERIFY(!router.match(verb::get, "/api/sandbox/a/b/c/d").route);
    }

    void parsesRepeatedQueryKeys() {
        const auto q =
            api::parseQuery("/api/sandbox?states=started&states=stopped&labels=%7B%22a%22%3A1%7D&x=a+b&flag");
        QCOMPARE(int(q.count("states")), 2);
        QCOMPARE(QString::fromStdString(q.find("labels")->second), QStringLiteral("{\"a\":1}"));
        QCOMPARE(QString::fromStdString(q.find("x")->second), QStringLiteral("a b"));
        QVERIFY(q.count("flag") == 1);
        QCOMPARE(QString::fromStdString(api::percentDecode("bad%zz%4", false)), QStringLiteral("bad%zz%4"));
    }
};

QTEST_APPLESS_MAIN(TestRouter)
#include "tst_router.moc"
