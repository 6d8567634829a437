// The SDK code for the current action, in Python and in TypeScript, read-only, with a Copy button.
#pragma once

#include "ui/pages/playground/SdkSnippet.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace cove::ui::playground {

class SnippetView : public QWidget {
    Q_OBJECT
public:
    explicit SnippetView(QWidget* parent = nullptr);

    void show(const SandboxParams& params, Action action, const ActionArgs& args);
    QString python() const;
    QString typeScript() const;
    QTabWidget* tabs() const { return m_tabs; }
    QPushButton* copyButton() const { return m_copy; }

public slots:
    // Puts the shown language's snippet on the clipboard.
    void copy();

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();

    QTabWidget* m_tabs;
    QPlainTextEdit* m_python;
    QPlainTextEdit* m_typeScript;
    QPushButton* m_copy;
    QLabel* m_title;
};

} // namespace cove::ui::playground
