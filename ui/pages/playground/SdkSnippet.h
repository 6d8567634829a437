// The Daytona SDK code (Python and TypeScript) that does what the Playground just did or is about to
// do: create the sandbox with the Management parameters, then the chosen action.
#pragma once

#include "ui/pages/playground/PlaygroundSandbox.h"

#include <QString>

namespace cove::ui::playground {

enum class Action {
    CodeRun,
    Command,
    CreateFolder,
    ListFiles,
    DeleteFile,
    GitClone,
    GitStatus,
    GitBranches,
    DesktopStart,
    DisplayInfo,
    Screenshot,
    TypeText,
    PressKey,
    Hotkey,
    MouseMove,
    MouseClick,
    MouseScroll,
};

// The values the action works with; only the ones the action needs are read.
struct ActionArgs {
    QString code;
    QString command;
    int timeout = 0; // seconds, 0 none
    QString path;
    QString url;
    QString branch;
    QString text; // typed text, key or hotkey
    int x = 0;
    int y = 0;
    QString direction = QStringLiteral("down");
    int amount = 1;
};

QString pythonSnippet(const SandboxParams& params, Action action, const ActionArgs& args);
QString typeScriptSnippet(const SandboxParams& params, Action action, const ActionArgs& args);

// String literals of each language for any text.
QString pythonString(const QString& text);
QString typeScriptString(const QString& text);

} // namespace cove::ui::playground
