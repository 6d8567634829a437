#include "ui/pages/playground/SnippetView.h"

#include "ui/pages/playground/CodeHighlighter.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace cove::ui::playground {

namespace {
QPlainTextEdit* codeView(const QString& language, QWidget* parent) {
    auto* view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    auto* highlighter = new CodeHighlighter(view->document());
    highlighter->setLanguage(language);
    return view;
}
} // namespace

SnippetView::SnippetView(QWidget* parent)
    : QWidget(parent)
    , m_tabs(new QTabWidget(this))
    , m_python(codeView(QStringLiteral("python"), m_tabs))
    , m_typeScript(codeView(QStringLiteral("typescript"), m_tabs))
    , m_copy(new QPushButton(this))
    , m_title(new QLabel(this)) {
    m_tabs->addTab(m_python, QString()); // named by retranslateUi
    m_tabs->addTab(m_typeScript, QString());
    m_tabs->setDocumentMode(true);
    connect(m_copy, &QPushButton::clicked, this, &SnippetView::copy);
    auto* head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_copy);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(head);
    layout->addWidget(m_tabs, 1);
    retranslateUi();
}

void SnippetView::retranslateUi() {
    m_python->setAccessibleName(tr("Python SDK code"));
    m_typeScript->setAccessibleName(tr("TypeScript SDK code"));
    m_tabs->setTabText(m_tabs->indexOf(m_python), tr("Python SDK"));
    m_tabs->setTabText(m_tabs->indexOf(m_typeScript), tr("TypeScript SDK"));
    m_copy->setText(tr("Cop&y"));
    m_copy->setToolTip(tr("Copy the shown SDK code to the clipboard"));
    m_title->setText(tr("The same with the Daytona SDK"));
}

void SnippetView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SnippetView::show(const SandboxParams& params, Action action, const ActionArgs& args) {
    const QString py = pythonSnippet(params, action, args);
    if (py != m_python->toPlainText())
        m_python->setPlainText(py);
    const QString ts = typeScriptSnippet(params, action, args);
    if (ts != m_typeScript->toPlainText())
        m_typeScript->setPlainText(ts);
}

QString SnippetView::python() const {
    return m_python->toPlainText();
}

QString SnippetView::typeScript() const {
    return m_typeScript->toPlainText();
}

void SnippetView::copy() {
    const bool py = m_tabs->currentWidget() == m_python;
    QApplication::clipboard()->setText(py ? python() : typeScript());
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copy, [this] { m_copy->setText(tr("Cop&y")); });
}

} // namespace cove::ui::playground
