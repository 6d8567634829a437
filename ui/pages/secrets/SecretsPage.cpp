// Secrets come from /api/secret; adding, changing and deleting go through the same API.
#include "ui/pages/secrets/SecretsPage.h"

#include "app/SecretModel.h"
#include "ui/widgets/PageKit.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace cove::ui {

namespace {

// As the service bounds them (domain/Config.h, SecretLimits).
constexpr int kMaxNameLength = 256;
constexpr int kMaxValueLength = 64 << 10;
constexpr int kMaxDescriptionLength = 1024;
constexpr int kMaxHosts = 32;

QStringList hostsOf(const QString& text) {
    return text.split(QRegularExpression(QStringLiteral("[\\s,]+")), Qt::SkipEmptyParts);
}

} // namespace

SecretDialog::SecretDialog(const app::Secret* existing, QWidget* parent)
    : QDialog(parent)
    , m_editing(existing != nullptr)
    , m_name(new QLineEdit(this))
    , m_value(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_hosts(new QPlainTextEdit(this))
    , m_problem(new QLabel(this)) {
    setWindowTitle(m_editing ? tr("Edit secret") : tr("Add secret"));
    m_name->setObjectName(QStringLiteral("secretName"));
    m_value->setObjectName(QStringLiteral("secretValue"));
    m_description->setObjectName(QStringLiteral("secretDescription"));
    m_hosts->setObjectName(QStringLiteral("secretHosts"));
    m_name->setMaxLength(kMaxNameLength);
    m_value->setMaxLength(kMaxValueLength);
    m_description->setMaxLength(kMaxDescriptionLength);
    m_value->setEchoMode(QLineEdit::Password);
    m_name->setPlaceholderText(tr("e.g. OPENAI_API_KEY"));
    m_value->setPlaceholderText(m_editing ? tr("unchanged unless you type a new one")
                                          : tr("the API key, token or password"));
    m_description->setPlaceholderText(tr("optional"));
    m_hosts->setPlaceholderText(tr("one per line, e.g. api.openai.com or *.example.com"));
    m_hosts->setTabChangesFocus(true);
    m_hosts->setFixedHeight(m_hosts->fontMetrics().lineSpacing() * 5);
    if (existing) {
        m_name->setText(existing->name);
        m_name->setReadOnly(true); // a secret keeps its name
        m_description->setText(existing->description);
        m_hosts->setPlainText(existing->hosts.join(QLatin1Char('\n')));
    }
    auto* form = new QFormLayout;
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Value"), m_value);
    form->addRow(tr("&Description"), m_description);
    form->addRow(tr("&Hosts"), m_hosts);
    auto* hint =
        new QLabel(tr("Sandboxes that mount this secret see only its placeholder. Cove puts the value "
                      "into their requests to these hosts, and nowhere else; with no hosts it is "
                      "sent nowhere. The value is stored encrypted and never shown again."),
                   this);
    hint->setWordWrap(true);
    m_problem->setWordWrap(true);
    m_problem->setObjectName(QStringLiteral("secretProblem"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(m_editing ? tr("Save") : tr("Add"));
    for (auto* field : {m_name, m_value})
        connect(field, &QLineEdit::textChanged, this, &SecretDialog::updateOk);
    connect(m_hosts, &QPlainTextEdit::textChanged, this, &SecretDialog::updateOk);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(hint);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    setMinimumWidth(520);
    updateOk();
}

void SecretDialog::updateOk() {
    static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_-]*$"));
    QString problem;
    if (!m_name->text().isEmpty() && !name.match(m_name->text()).hasMatch())
        problem = tr("A name starts with a letter or '_' and holds only letters, digits, '_' and '-'.");
    else if (hostsOf(m_hosts->toPlainText()).size() > kMaxHosts)
        problem = tr("At most %1 hosts; use a wildcard such as *.example.com.").arg(kMaxHosts);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    m_ok->setEnabled(problem.isEmpty() && !m_name->text().isEmpty() &&
                     (m_editing || !m_value->text().isEmpty()));
}

app::SecretFields SecretDialog::fields() const {
    return {m_name->text(), m_value->text(), m_description->text().trimmed(),
            hostsOf(m_hosts->toPlainText())};
}

SecretsPage::SecretsPage(app::ApiClient* client, QWidget* parent)
    : QWidget(parent)
    , m_api(client)
    , m_model(new app::SecretModel(this))
    , m_view(new QTableView(this))
    , m_proxy(kit::setUpTable(m_view, m_model))
    , m_title(kit::pageTitle(QString(), this))
    , m_intro(kit::pageIntro(QString(), this))
    , m_add(new QPushButton(this))
    , m_edit(new QPushButton(this))
    , m_copy(new QPushButton(this))
    , m_delete(new QPushButton(this))
    , m_message(kit::messageLine(this)) {
    m_add->setShortcut(QKeySequence::New);
    connect(m_add, &QPushButton::clicked, this, &SecretsPage::addSecret);
    connect(m_edit, &QPushButton::clicked, this, &SecretsPage::editSelected);
    connect(m_copy, &QPushButton::clicked, this, &SecretsPage::copyPlaceholder);
    connect(m_delete, &QPushButton::clicked, this, &SecretsPage::deleteSelected);
    connect(m_view, &QTableView::doubleClicked, this, &SecretsPage::editSelected);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SecretsPage::updateButtons);
    auto* del = new QShortcut(QKeySequence::Delete, m_view);
    connect(del, &QShortcut::activated, this, &SecretsPage::deleteSelected);
    // Ctrl+C in the table copies the cell under the cursor (the view's own); this copies the placeholder.
    auto* copy = new QShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), m_view);
    connect(copy, &QShortcut::activated, this, &SecretsPage::copyPlaceholder);
    auto* buttons = new QHBoxLayout;
    for (auto* b : {m_add, m_edit, m_copy, m_delete})
        buttons->addWidget(b);
    buttons->addStretch(1);
    kit::pageLayout(this, m_title, m_intro, buttons, m_message, m_view);
    updateButtons();
    retranslateUi();
}

void SecretsPage::retranslateUi() {
    m_title->setText(tr("Secrets"));
    m_intro->setText(
        tr("API keys and tokens your sandboxes may use but never read: a sandbox gets a "
           "placeholder, and Cove swaps in the value only in its requests to the secret's hosts. "
           "Values are stored encrypted and never shown."));
    m_view->setAccessibleName(tr("Secrets"));
    m_add->setText(tr("&Add secret…"));
    m_edit->setText(tr("&Edit…"));
    m_copy->setText(tr("&Copy placeholder"));
    m_delete->setText(tr("&Delete…"));
    m_model->retranslate();
}

void SecretsPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void SecretsPage::updateButtons() {
    const bool selected = m_view->selectionModel()->hasSelection();
    for (auto* b : {m_edit, m_copy, m_delete})
        b->setEnabled(selected);
}

QString SecretsPage::message() const {
    return m_message->isVisible() ? m_message->text() : QString();
}

void SecretsPage::refresh() {
    m_api.list(this, [this](const app::Result<QList<app::Secret>>& r) {
        if (!r.ok()) {
            kit::showMessage(m_message, r.error().text);
            return;
        }
        m_model->setRecords(r.value());
        updateButtons(); // a new list selects nothing
    });
}

void SecretsPage::addSecret() {
    SecretDialog dialog(nullptr, this);
    kit::submit(
        dialog, m_message, tr("The secret was not added: %1"),
        [this](const app::SecretFields& fields, auto done) { m_api.create(fields, this, done); },
        [this] { refresh(); });
}

void SecretsPage::editSelected() {
    const int row = kit::selectedRow(m_view, m_proxy);
    if (row < 0)
        return;
    const app::Secret existing = m_model->at(row);
    SecretDialog dialog(&existing, this);
    kit::submit(
        dialog, m_message, tr("The secret was not changed: %1"),
        [this, id = existing.id](const app::SecretFields& fields, auto done) {
            m_api.update(id, fields, this, done);
        },
        [this] { refresh(); });
}

void SecretsPage::copyPlaceholder() {
    const int row = kit::selectedRow(m_view, m_proxy);
    if (row < 0)
        return;
    QApplication::clipboard()->setText(m_model->at(row).placeholder);
    kit::showMessage(m_message, {});
}

void SecretsPage::deleteSelected() {
    const int row = kit::selectedRow(m_view, m_proxy);
    if (row < 0)
        return;
    const app::Secret s = m_model->at(row);
    if (!s.mountedBy.isEmpty()) {
        QMessageBox::information(this, tr("Delete secret"),
                                 tr("The secret \"%1\" is mounted by %2. Take it out of them first (their "
                                    "secrets, or delete them), then delete it.")
                                     .arg(s.name, s.mountedBy.join(QStringLiteral(", "))));
        return;
    }
    if (!kit::confirm(this, tr("Delete secret"),
                      tr("Delete the secret \"%1\" and its stored value? No sandbox mounts it; sandboxes "
                         "created with it later are refused.")
                          .arg(s.name)))
        return;
    kit::showMessage(m_message, {});
    const QString name = s.name;
    m_api.remove(s.id, this, [this, name](const app::Result<app::Done>& r) {
        if (!r.ok())
            kit::showMessage(m_message,
                             tr("The secret \"%1\" was not deleted: %2").arg(name, r.error().text));
        refresh();
    });
}

} // namespace cove::ui
