#include "ui/pages/sandboxes/SshAccessDialog.h"

#include "ui/widgets/PageKit.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace cove::ui {

namespace {
// Daytona's default; coved allows a day at most (SshLimits).
constexpr int kDefaultMinutes = 60;
constexpr int kMaxMinutes = 24 * 60;
} // namespace

SshAccessDialog::SshAccessDialog(app::SandboxesApi* api, QString sandboxId, const QString& sandboxName,
                                 QWidget* parent)
    : QDialog(parent)
    , m_api(api)
    , m_id(std::move(sandboxId))
    , m_minutes(new QSpinBox(this))
    , m_create(new QPushButton(tr("C&reate"), this))
    , m_command(new QLineEdit(this))
    , m_copy(new QPushButton(tr("&Copy"), this))
    , m_expiry(new QLabel(this))
    , m_revoke(new QPushButton(tr("Re&voke All SSH Access"), this))
    , m_message(kit::messageLine(this)) {
    setWindowTitle(tr("SSH Access to %1").arg(sandboxName));
    auto* intro =
        new QLabel(tr("A token lets anyone who has it open a shell in this sandbox with ssh, scp, sftp "
                      "or an editor's remote SSH, until it expires or is revoked."),
                   this);
    intro->setWordWrap(true);
    m_minutes->setRange(1, kMaxMinutes);
    m_minutes->setValue(kDefaultMinutes);
    m_minutes->setSuffix(tr(" min"));
    m_minutes->setAccessibleName(tr("Expires after, in minutes"));
    auto* minutesLabel = new QLabel(tr("&Expires after:"), this);
    minutesLabel->setBuddy(m_minutes);
    m_create->setDefault(true);
    auto* ask = new QHBoxLayout;
    ask->addWidget(minutesLabel);
    ask->addWidget(m_minutes);
    ask->addStretch(1);
    ask->addWidget(m_create);

    m_command->setReadOnly(true);
    m_command->setMinimumWidth(560);
    m_command->setAccessibleName(tr("SSH command"));
    m_command->setPlaceholderText(tr("The ssh command appears here"));
    auto* commandLabel = new QLabel(tr("SSH co&mmand:"), this);
    commandLabel->setBuddy(m_command);
    m_copy->setEnabled(false);
    m_copy->setToolTip(tr("Copy the ssh command to the clipboard"));
    auto* shown = new QHBoxLayout;
    shown->addWidget(m_command, 1);
    shown->addWidget(m_copy);
    m_expiry->setWordWrap(true);
    m_revoke->setToolTip(tr("Every SSH token of this sandbox stops working at once"));

    auto* close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(ask);
    layout->addWidget(commandLabel);
    layout->addLayout(shown);
    layout->addWidget(m_expiry);
    layout->addWidget(m_message);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_revoke);
    bottom->addStretch(1);
    bottom->addWidget(close);
    layout->addLayout(bottom);

    connect(m_create, &QPushButton::clicked, this, &SshAccessDialog::create);
    connect(m_copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_command->text()); });
    connect(m_revoke, &QPushButton::clicked, this, &SshAccessDialog::revokeAll);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setTabOrder(m_minutes, m_create);
    setTabOrder(m_create, m_command);
    setTabOrder(m_command, m_copy);
    setTabOrder(m_copy, m_revoke);
}

QString SshAccessDialog::command() const {
    return m_command->text();
}

void SshAccessDialog::setBusy(bool busy) {
    m_create->setEnabled(!busy);
    m_revoke->setEnabled(!busy);
}

void SshAccessDialog::create() {
    setBusy(true);
    kit::showMessage(m_message, QString());
    m_api->createSshAccess(m_id, m_minutes->value(), this, [this](const app::Result<app::SshAccess>& r) {
        setBusy(false);
        if (!r.ok())
            return kit::showMessage(m_message, r.error().text);
        const app::SshAccess& a = r.value();
        if (a.sshCommand.isEmpty()) {
            m_command->setText(a.token);
            kit::showMessage(m_message,
                             tr("The Cove service runs without its SSH gateway (coved --ssh-listen off): "
                                "this token works once the gateway is on."));
        } else {
            m_command->setText(a.sshCommand);
        }
        m_command->selectAll();
        m_copy->setEnabled(true);
        m_copy->setFocus();
        m_expiry->setText(tr("Valid until %1. Copy it now: it is not shown again.")
                              .arg(QLocale().toString(a.expiresAt.toLocalTime(), QLocale::ShortFormat)));
    });
}

void SshAccessDialog::revokeAll() {
    if (!kit::confirm(
            this, tr("Revoke SSH access"),
            tr("Revoke every SSH token of this sandbox? Open SSH sessions keep running; no new one can "
               "start with them.")))
        return;
    setBusy(true);
    m_api->revokeSshAccess(m_id, QString(), this, [this](const app::Result<app::Done>& r) {
        setBusy(false);
        if (!r.ok())
            return kit::showMessage(m_message, r.error().text);
        m_command->clear();
        m_copy->setEnabled(false);
        m_expiry->setText(tr("Every SSH token of this sandbox was revoked."));
    });
}

} // namespace cove::ui
