// The calls the MCP tools make to coved: the sandbox API (/api/sandbox…) and a sandbox's toolbox
// (/toolbox/{id}/…), each sent with the shared ApiClient and tied to the MCP request it serves so that
// cancelling the request aborts it. The tools pass coved's JSON on as it comes (a listing's paths, a
// sandbox's every field), so these answer with the reply itself rather than the typed values of
// SandboxesApi and ToolboxApi.
#pragma once

#include "app/ApiClient.h"
#include "app/cli/McpServer.h"

#include <QJsonDocument>
#include <QMap>

namespace cove::cli::mcp {

// `error` is coved's own sentence for a failure, or why coved was not reached (status 0).
using CovedReply = app::ApiResult;

class Toolbox {
public:
    using Done = std::function<void(const CovedReply&)>;

    explicit Toolbox(const app::ConnectionTarget& target);

    QString url() const { return m_client.target().url; }
    bool hasKey() const { return !m_client.target().apiKey.isEmpty(); }

    // The sandbox API.
    void createSandbox(const CallPtr& call, const QJsonObject& body, Done done);
    void getSandbox(const CallPtr& call, const QString& idOrName, Done done);
    void listSandboxes(const CallPtr& call, const QString& cursor, Done done);
    // action: start or stop.
    void sandboxAction(const CallPtr& call, const QString& idOrName, const QString& action, Done done);
    void deleteSandbox(const CallPtr& call, const QString& idOrName, Done done);
    void previewUrl(const CallPtr& call, const QString& idOrName, int port, Done done);

    // The toolbox. Timeouts in seconds, 0 for none.
    void execute(const CallPtr& call, const QString& sandbox, const QString& command, const QString& cwd,
                 const QMap<QString, QString>& env, int timeout, Done done);
    void codeRun(const CallPtr& call, const QString& sandbox, const QString& code, const QString& language,
                 const QMap<QString, QString>& env, int timeout, Done done);
    void listFiles(const CallPtr& call, const QString& sandbox, const QString& path, int depth, Done done);
    void fileInfo(const CallPtr& call, const QString& sandbox, const QString& path, Done done);
    void download(const CallPtr& call, const QString& sandbox, const QString& path, Done done);
    void upload(const CallPtr& call, const QString& sandbox, const QString& path, const QByteArray& content,
                Done done);
    void startComputerUse(const CallPtr& call, const QString& sandbox, Done done);
    void screenshot(const CallPtr& call, const QString& sandbox, Done done);

private:
    void send(const CallPtr& call, const QByteArray& verb, const QString& path, const QByteArray& body,
              const app::RequestOptions& options, Done done);
    void get(const CallPtr& call, const QString& path, Done done);
    // POST {route} of the toolbox with `body`, the command's environment and timeout added.
    void runProcess(const CallPtr& call, const QString& sandbox, const QString& route, QJsonObject body,
                    const QMap<QString, QString>& env, int timeout, Done done);
    static QString toolboxPath(const QString& sandbox, const QString& rest);
    // /toolbox/{sandbox}/files{route}?path=…
    static QString filePath(const QString& sandbox, const QString& route, const QString& path);

    app::ApiClient m_client;
};

} // namespace cove::cli::mcp
