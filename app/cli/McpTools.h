// The tools and resources cove-cli's MCP server offers, on a coved (McpToolbox makes the calls).
#pragma once

#include "app/cli/McpServer.h"
#include "app/cli/McpToolbox.h"

#include <QHash>

namespace cove::cli::mcp {

class Tools : public Provider {
public:
    explicit Tools(Toolbox* toolbox);

    QJsonArray tools() const override { return m_list; }
    bool hasTool(const QString& name) const override { return m_handlers.contains(name); }
    void callTool(const QString& name, const QJsonObject& arguments, const CallPtr& call) override;
    QJsonArray resourceTemplates() const override;
    void listResources(const CallPtr& call) override;
    void readResource(const QString& uri, const CallPtr& call) override;
    bool busy() const override { return m_cleanups > 0; }
    void onSettled(std::function<void()> settled) override { m_settled = std::move(settled); }

private:
    using Handler = std::function<void(const QJsonObject& args, const CallPtr& call)>;
    void add(const QJsonObject& tool, Handler handler);

    void createSandbox(const QJsonObject& args, const CallPtr& call);
    void listSandboxes(const QJsonObject& args, const CallPtr& call);
    void startSandbox(const QJsonObject& args, const CallPtr& call);
    void stopSandbox(const QJsonObject& args, const CallPtr& call);
    void deleteSandbox(const QJsonObject& args, const CallPtr& call);
    void runCommand(const QJsonObject& args, const CallPtr& call);
    void runCode(const QJsonObject& args, const CallPtr& call);
    void readFile(const QJsonObject& args, const CallPtr& call);
    void writeFile(const QJsonObject& args, const CallPtr& call);
    void listFiles(const QJsonObject& args, const CallPtr& call);
    void previewLink(const QJsonObject& args, const CallPtr& call);
    void screenshot(const QJsonObject& args, const CallPtr& call);

    // start_sandbox and stop_sandbox: asks coved to `action` the sandbox, then waits until it is `wanted`.
    void changeState(const QJsonObject& args, const CallPtr& call, const QString& action,
                     const QString& wanted, const QString& verb);
    // Polls the sandbox until it is `wanted` (reporting progress on the way), then answers with it.
    void waitFor(const CallPtr& call, const QString& sandbox, const QString& wanted, const QString& verb,
                 qint64 deadlineMs);
    // Runs a command or code (one ticker of progress while it runs) and answers with its output. `start`
    // gets `env` with the variable that marks the process as this call's (to find it when cancelled).
    void runProcess(const CallPtr& call, const QString& sandbox, const QString& what,
                    const QMap<QString, QString>& env, int timeout,
                    const std::function<void(const QMap<QString, QString>& env, Toolbox::Done)>& start);

    Toolbox* m_toolbox;
    int m_cleanups = 0; // kills of cancelled commands under way
    std::function<void()> m_settled;
    QJsonArray m_list;
    QHash<QString, Handler> m_handlers;
};

} // namespace cove::cli::mcp
