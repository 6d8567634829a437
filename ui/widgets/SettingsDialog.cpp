// Reads and writes the settings; validation before saving.
#include "ui/widgets/SettingsDialog.h"

#include "app/Connection.h"
#include "app/Settings.h"
#include "ui/Appearance.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace cove::ui {

using app::Settings;

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent)
    , m_url(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_language(new QComboBox(this))
    , m_theme(new QComboBox(this))
    , m_refresh(new QSpinBox(this)) {
    setWindowTitle(tr("Settings"));
    m_url->setText(Settings::value(Settings::Key::ServiceUrl).toString());
    m_url->setPlaceholderText(tr("Local service (%1)").arg(QString::fromLatin1(app::Connection::kLocalUrl)));
    m_key->setText(Settings::value(Settings::Key::ApiKey).toString());
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("The local service's admin key"));

    auto* form = new QFormLayout;
    form->addRow(tr("Service &URL:"), m_url);
    form->addRow(tr("API &key:"), m_key);
    auto* hint = new QLabel(tr("Leave both empty to use the Cove service on this computer."), this);
    hint->setWordWrap(true);
    form->addRow(hint);

    m_language->addItem(tr("System language"), QString());
    for (const QString& code : appearance::languages())
        m_language->addItem(appearance::nativeName(code), code);
    m_language->setCurrentIndex(qMax(0, m_language->findData(Settings::value(Settings::Key::Language))));
    form->addRow(tr("&Language:"), m_language);
    m_theme->addItem(tr("System"), QStringLiteral("system"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    m_theme->setCurrentIndex(qMax(0, m_theme->findData(Settings::value(Settings::Key::Theme))));
    form->addRow(tr("&Theme:"), m_theme);
    m_refresh->setRange(1, 300);
    m_refresh->setSuffix(tr(" s"));
    m_refresh->setValue(Settings::value(Settings::Key::RefreshSeconds).toInt());
    m_refresh->setToolTip(tr("How often charts (metrics, usage) take a new sample. Lists update live."));
    form->addRow(tr("Chart &refresh:"), m_refresh);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

void SettingsDialog::accept() {
    const QString url = m_url->text().trimmed();
    if (!url.isEmpty()) {
        const QUrl u(url);
        if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")) ||
            u.host().isEmpty()) {
            QMessageBox::warning(
                this, tr("Settings"),
                tr("\"%1\" is not an http:// or https:// address, e.g. http://127.0.0.1:3986.").arg(url));
            m_url->setFocus();
            return;
        }
    }
    Settings::setValue(Settings::Key::ServiceUrl, url);
    Settings::setValue(Settings::Key::ApiKey, m_key->text().trimmed());
    Settings::setValue(Settings::Key::Language, m_language->currentData());
    Settings::setValue(Settings::Key::Theme, m_theme->currentData());
    Settings::setValue(Settings::Key::RefreshSeconds, m_refresh->value());
    QDialog::accept();
}

} // namespace cove::ui
