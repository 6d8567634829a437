// Spelled as the SDKs spell it: daytona.create(CreateSandboxFromSnapshotParams(...)) and snake_case in
// Python; new Daytona(), await daytona.create({...}) and camelCase in TypeScript.
#include "ui/pages/playground/SdkSnippet.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QStringList>

namespace cove::ui::playground {

namespace {
SandboxParams defaults() {
    return SandboxParams{};
}

QString jsonString(const QString& text) {
    // A JSON string is a valid literal in both languages (escapes included).
    const QByteArray doc = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(doc.mid(1, doc.size() - 2));
}

QString num(int n) {
    return QString::number(n);
}
} // namespace

QString pythonString(const QString& text) {
    if (text.contains(QLatin1Char('\n')) && !text.contains(QLatin1String("\"\"\"")) &&
        !text.contains(QLatin1Char('\\')) && !text.endsWith(QLatin1Char('"')))
        return QStringLiteral("\"\"\"\\\n") + text + QStringLiteral("\"\"\"");
    return jsonString(text);
}

QString typeScriptString(const QString& text) {
    if (!text.contains(QLatin1Char('\n')))
        return jsonString(text);
    QString t = text;
    t.replace(QLatin1String("\\"), QLatin1String("\\\\"));
    t.replace(QLatin1String("`"), QLatin1String("\\`"));
    t.replace(QLatin1String("${"), QLatin1String("\\${"));
    return QLatin1Char('`') + t + QLatin1Char('`');
}

QString pythonSnippet(const SandboxParams& p, Action action, const ActionArgs& a) {
    const SandboxParams d = defaults();
    QStringList create{QStringLiteral("    snapshot=%1,").arg(jsonString(p.snapshot)),
                       QStringLiteral("    language=%1,").arg(jsonString(p.language)),
                       QStringLiteral("    labels={\"%1\": \"true\"},").arg(QLatin1String(kPlaygroundLabel)),
                       QStringLiteral("    auto_stop_interval=%1,").arg(p.autoStop)};
    if (p.autoArchive != d.autoArchive)
        create << QStringLiteral("    auto_archive_interval=%1,").arg(p.autoArchive);
    if (p.autoDelete != d.autoDelete)
        create << QStringLiteral("    auto_delete_interval=%1,").arg(p.autoDelete);
    QStringList out{QStringLiteral("from daytona import Daytona, CreateSandboxFromSnapshotParams"), QString(),
                    QStringLiteral("daytona = Daytona()")};
    if (p.cpu != d.cpu || p.memory != d.memory || p.disk != d.disk)
        out << QStringLiteral(
                   "# Resources (%1 vCPU, %2 GiB memory, %3 GiB disk) are fixed by the snapshot in "
                   "the SDK; the REST API takes cpu, memory and disk.")
                   .arg(p.cpu)
                   .arg(p.memory)
                   .arg(p.disk);
    out << QStringLiteral("sandbox = daytona.create(CreateSandboxFromSnapshotParams(") << create
        << QStringLiteral("))") << QString();
    const QString path = jsonString(a.path);
    switch (action) {
    case Action::CodeRun:
        out << QStringLiteral("code = %1").arg(pythonString(a.code))
            << (a.timeout > 0
                    ? QStringLiteral("response = sandbox.process.code_run(code, timeout=%1)").arg(a.timeout)
                    : QStringLiteral("response = sandbox.process.code_run(code)"))
            << QStringLiteral("print(response.exit_code)") << QStringLiteral("print(response.result)")
            << QStringLiteral("for chart in response.artifacts.charts:")
            << QStringLiteral("    print(chart.type, chart.title)  # chart.png is the image, base64");
        break;
    case Action::Command:
        out << (a.timeout > 0
                    ? QStringLiteral("response = sandbox.process.exec(%1, timeout=%2)")
                          .arg(jsonString(a.command))
                          .arg(a.timeout)
                    : QStringLiteral("response = sandbox.process.exec(%1)").arg(jsonString(a.command)))
            << QStringLiteral("print(response.exit_code)") << QStringLiteral("print(response.result)");
        break;
    case Action::CreateFolder:
        out << QStringLiteral("sandbox.fs.create_folder(%1, \"755\")").arg(path);
        break;
    case Action::ListFiles:
        out << QStringLiteral("for f in sandbox.fs.list_files(%1):").arg(path)
            << QStringLiteral("    print(f.name, f.is_dir, f.size)");
        break;
    case Action::DeleteFile:
        out << QStringLiteral("sandbox.fs.delete_file(%1, recursive=True)").arg(path);
        break;
    case Action::GitClone:
        out << (a.branch.isEmpty() ? QStringLiteral("sandbox.git.clone(%1, %2)").arg(jsonString(a.url), path)
                                   : QStringLiteral("sandbox.git.clone(%1, %2, branch=%3)")
                                         .arg(jsonString(a.url), path, jsonString(a.branch)));
        break;
    case Action::GitStatus:
        out << QStringLiteral("status = sandbox.git.status(%1)").arg(path)
            << QStringLiteral("print(status.current_branch, status.ahead, status.behind)")
            << QStringLiteral("for f in status.file_status:")
            << QStringLiteral("    print(f.name, f.worktree)");
        break;
    case Action::GitBranches:
        out << QStringLiteral("print(sandbox.git.branches(%1).branches)").arg(path);
        break;
    case Action::DesktopStart:
        out << QStringLiteral("sandbox.computer_use.start()");
        break;
    case Action::DisplayInfo:
        out << QStringLiteral("print(sandbox.computer_use.display.get_info())");
        break;
    case Action::Screenshot:
        out << QStringLiteral("shot = sandbox.computer_use.screenshot.take_full_screen()")
            << QStringLiteral("# shot.screenshot is the PNG, base64");
        break;
    case Action::TypeText:
        out << QStringLiteral("sandbox.computer_use.keyboard.type(%1)").arg(jsonString(a.text));
        break;
    case Action::PressKey:
        out << QStringLiteral("sandbox.computer_use.keyboard.press(%1)").arg(jsonString(a.text));
        break;
    case Action::Hotkey:
        out << QStringLiteral("sandbox.computer_use.keyboard.hotkey(%1)").arg(jsonString(a.text));
        break;
    case Action::MouseMove:
        out << QStringLiteral("sandbox.computer_use.mouse.move(%1, %2)").arg(num(a.x), num(a.y));
        break;
    case Action::MouseClick:
        out << QStringLiteral("sandbox.computer_use.mouse.click(%1, %2)").arg(num(a.x), num(a.y));
        break;
    case Action::MouseScroll:
        out << QStringLiteral("sandbox.computer_use.mouse.scroll(%1, %2, %3, %4)")
                   .arg(num(a.x), num(a.y), jsonString(a.direction), num(a.amount));
        break;
    }
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString typeScriptSnippet(const SandboxParams& p, Action action, const ActionArgs& a) {
    const SandboxParams d = defaults();
    QStringList create{QStringLiteral("  snapshot: %1,").arg(jsonString(p.snapshot)),
                       QStringLiteral("  language: %1,").arg(jsonString(p.language)),
                       QStringLiteral("  labels: { '%1': 'true' },").arg(QLatin1String(kPlaygroundLabel)),
                       QStringLiteral("  autoStopInterval: %1,").arg(p.autoStop)};
    if (p.autoArchive != d.autoArchive)
        create << QStringLiteral("  autoArchiveInterval: %1,").arg(p.autoArchive);
    if (p.autoDelete != d.autoDelete)
        create << QStringLiteral("  autoDeleteInterval: %1,").arg(p.autoDelete);
    QStringList out{QStringLiteral("import { Daytona } from '@daytonaio/sdk'"), QString(),
                    QStringLiteral("const daytona = new Daytona()")};
    if (p.cpu != d.cpu || p.memory != d.memory || p.disk != d.disk)
        out << QStringLiteral(
                   "// Resources (%1 vCPU, %2 GiB memory, %3 GiB disk) are fixed by the snapshot in "
                   "the SDK; the REST API takes cpu, memory and disk.")
                   .arg(p.cpu)
                   .arg(p.memory)
                   .arg(p.disk);
    out << QStringLiteral("const sandbox = await daytona.create({") << create << QStringLiteral("})")
        << QString();
    const QString path = jsonString(a.path);
    switch (action) {
    case Action::CodeRun:
        out << QStringLiteral("const code = %1").arg(typeScriptString(a.code))
            << (a.timeout > 0
                    ? QStringLiteral("const response = await sandbox.process.codeRun(code, undefined, %1)")
                          .arg(a.timeout)
                    : QStringLiteral("const response = await sandbox.process.codeRun(code)"))
            << QStringLiteral("console.log(response.exitCode, response.result)")
            << QStringLiteral("for (const chart of response.artifacts?.charts ?? []) console.log(chart.type, "
                              "chart.title) // chart.png is the image, base64");
        break;
    case Action::Command:
        out << (a.timeout > 0 ? QStringLiteral("const response = await sandbox.process.executeCommand(%1, "
                                               "undefined, undefined, %2)")
                                    .arg(jsonString(a.command))
                                    .arg(a.timeout)
                              : QStringLiteral("const response = await sandbox.process.executeCommand(%1)")
                                    .arg(jsonString(a.command)))
            << QStringLiteral("console.log(response.exitCode, response.result)");
        break;
    case Action::CreateFolder:
        out << QStringLiteral("await sandbox.fs.createFolder(%1, '755')").arg(path);
        break;
    case Action::ListFiles:
        out << QStringLiteral("for (const f of await sandbox.fs.listFiles(%1)) console.log(f.name, f.isDir, "
                              "f.size)")
                   .arg(path);
        break;
    case Action::DeleteFile:
        out << QStringLiteral("await sandbox.fs.deleteFile(%1, true)").arg(path);
        break;
    case Action::GitClone:
        out << (a.branch.isEmpty()
                    ? QStringLiteral("await sandbox.git.clone(%1, %2)").arg(jsonString(a.url), path)
                    : QStringLiteral("await sandbox.git.clone(%1, %2, %3)")
                          .arg(jsonString(a.url), path, jsonString(a.branch)));
        break;
    case Action::GitStatus:
        out << QStringLiteral("const status = await sandbox.git.status(%1)").arg(path)
            << QStringLiteral(
                   "console.log(status.currentBranch, status.ahead, status.behind, status.fileStatus)");
        break;
    case Action::GitBranches:
        out << QStringLiteral("console.log((await sandbox.git.branches(%1)).branches)").arg(path);
        break;
    case Action::DesktopStart:
        out << QStringLiteral("await sandbox.computerUse.start()");
        break;
    case Action::DisplayInfo:
        out << QStringLiteral("console.log(await sandbox.computerUse.display.getInfo())");
        break;
    case Action::Screenshot:
        out << QStringLiteral("const shot = await sandbox.computerUse.screenshot.takeFullScreen()")
            << QStringLiteral("// shot.screenshot is the PNG, base64");
        break;
    case Action::TypeText:
        out << QStringLiteral("await sandbox.computerUse.keyboard.type(%1)").arg(jsonString(a.text));
        break;
    case Action::PressKey:
        out << QStringLiteral("await sandbox.computerUse.keyboard.press(%1)").arg(jsonString(a.text));
        break;
    case Action::Hotkey:
        out << QStringLiteral("await sandbox.computerUse.keyboard.hotkey(%1)").arg(jsonString(a.text));
        break;
    case Action::MouseMove:
        out << QStringLiteral("await sandbox.computerUse.mouse.move(%1, %2)").arg(num(a.x), num(a.y));
        break;
    case Action::MouseClick:
        out << QStringLiteral("await sandbox.computerUse.mouse.click(%1, %2)").arg(num(a.x), num(a.y));
        break;
    case Action::MouseScroll:
        out << QStringLiteral("await sandbox.computerUse.mouse.scroll(%1, %2, %3, %4)")
                   .arg(num(a.x), num(a.y), jsonString(a.direction), num(a.amount));
        break;
    }
    return out.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace cove::ui::playground
