// The dialogs are opened with open() and send from their OK button, so the page stays usable while a slow
// change (a resize, a fork) is under way and a test can drive them as a person would.
#include "ui/pages/sandboxes/detail/ActionDialogs.h"

#include "ui/pages/sandboxes/CreateSandboxDialog.h"
#include "ui/widgets/KeyValueTable.h"
#include "ui/widgets/PageKit.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace cove::ui::detail {

namespace {

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr int kDialogWidthChars = 64;
constexpr int kLabelsWidthChars = 90; // room for a key and its value side by side

QSpinBox* spin(QWidget* parent, int least, int most, const QString& suffix, const QString& special = {}) {
    auto* s = new QSpinBox(parent);
    s->setRange(least, most);
    s->setSuffix(suffix);
    s->setSpecialValueText(special);
    s->setAccelerated(true);
    return s;
}

QSpinBox* minutesSpin(QWidget* parent, int least, const QString& special) {
    return spin(parent, least, app::kMostIntervalMinutes, ActionDialog::tr(" min"), special);
}

} // namespace

// ---- ActionDialog ----

ActionDialog::ActionDialog(const QString& title, const QString& intro, QWidget* parent)
    : QDialog(parent)
    , m_intro(new QLabel(intro, this))
    , m_form(new QFormLayout)
    , m_message(kit::messageLine(this))
    , m_busy(new QProgressBar(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    , m_ok(m_buttons->button(QDialogButtonBox::Ok)) {
    setWindowTitle(title);
    m_intro->setWordWrap(true);
    m_intro->setVisible(!intro.isEmpty());
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_busy->setRange(0, 0); // the service does not say how far along it is
    m_busy->setTextVisible(false);
    m_busy->setMaximumHeight(m_busy->fontMetrics().height() / 2);
    m_busy->hide();
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ActionDialog::submit);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addLayout(m_form);
    layout->addWidget(m_message);
    layout->addStretch(1);
    layout->addWidget(m_busy);
    layout->addWidget(m_buttons);
    setMinimumWidth(fontMetrics().averageCharWidth() * kDialogWidthChars);
}

void ActionDialog::addRow(const QString& label, QWidget* field, const QString& requestKey) {
    auto* name = new QLabel(label, this);
    name->setBuddy(field);
    m_form->addRow(name, field);
    field->setAccessibleName(QString(label).remove(QLatin1Char('&')).remove(QLatin1Char(':')));
    if (!requestKey.isEmpty())
        m_fields.insert(requestKey, field);
}

QString ActionDialog::error() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

void ActionDialog::submit() {
    if (m_sending)
        return;
    if (const QString problem = check(); !problem.isEmpty())
        return showError(problem);
    if (!confirmed())
        return;
    showError({});
    setSending(true);
    send();
}

void ActionDialog::setSending(bool on) {
    m_sending = on;
    m_busy->setVisible(on);
    m_ok->setEnabled(!on);
    for (int i = 0; i < m_form->rowCount(); ++i)
        if (QLayoutItem* item = m_form->itemAt(i, QFormLayout::FieldRole); item && item->widget())
            item->widget()->setEnabled(!on);
}

void ActionDialog::answered(const app::ApiError* error) {
    setSending(false);
    if (!error)
        return accept();
    if (error->unreachable())
        return showError(tr("Nothing was changed: %1 Your input is kept; press OK again when the service is "
                            "back.")
                             .arg(error->text));
    showError(error->text, error->field);
}

void ActionDialog::showError(const QString& text, const QString& requestKey) {
    kit::showMessage(m_message, text);
    if (QWidget* field = m_fields.value(requestKey))
        field->setFocus();
    adjustSize();
}

// ---- NameDialog ----

NameDialog::NameDialog(const QString& title, const QString& intro, const QString& okText, bool required,
                       int maxLength, Send send, QWidget* parent)
    : ActionDialog(title, intro, parent)
    , m_name(new QLineEdit(this))
    , m_required(required)
    , m_send(std::move(send)) {
    m_name->setMaxLength(maxLength);
    if (!required)
        m_name->setPlaceholderText(tr("chosen by the service"));
    addRow(tr("&Name:"), m_name, QStringLiteral("name"));
    okButton()->setText(okText);
    m_name->setFocus();
}

QString NameDialog::check() const {
    const QString name = m_name->text();
    if (m_required && name.trimmed().isEmpty())
        return tr("Give a name.");
    if (name.trimmed() != name)
        return tr("The name must not start or end with a space.");
    return {};
}

void NameDialog::send() {
    m_send(m_name->text(), [this](const app::ApiError* e) { answered(e); });
}

// ---- ResizeDialog ----

ResizeDialog::ResizeDialog(app::SandboxesApi api, const app::Sandbox& sandbox, QWidget* parent)
    : SandboxDialog(tr("Resize sandbox"),
                    tr("CPU and memory change at once, even while \"%1\" runs. The disk can only grow: a "
                       "smaller disk would lose files.")
                        .arg(sandbox.name),
                    api, sandbox, parent)
    , m_cpu(spin(this, 1, app::kMostCpu, tr(" vCPU")))
    , m_memory(spin(this, 1, app::kMostMemoryGiB, tr(" GiB")))
    , m_disk(spin(this, std::max(1, sandbox.disk), app::kMostDiskGiB, tr(" GiB"))) {
    m_cpu->setValue(sandbox.cpu);
    m_memory->setValue(sandbox.memory);
    m_disk->setValue(sandbox.disk);
    addRow(tr("&CPU:"), m_cpu, QStringLiteral("cpu"));
    addRow(tr("&Memory:"), m_memory, QStringLiteral("memory"));
    addRow(tr("&Disk:"), m_disk, QStringLiteral("disk"));
    okButton()->setText(tr("&Resize"));
}

void ResizeDialog::send() {
    m_api.resize(m_sandbox.id, m_cpu->value(), m_memory->value(), m_disk->value(), this,
                 [this](const app::Result<app::Sandbox>& r) { answered(r); });
}

// ---- LabelsDialog ----

LabelsDialog::LabelsDialog(app::SandboxesApi api, const app::Sandbox& sandbox, QWidget* parent)
    : SandboxDialog(tr("Labels"),
                    tr("Labels name what \"%1\" is for; the Sandboxes page filters by them. Saving replaces "
                       "every label.")
                        .arg(sandbox.name),
                    api, sandbox, parent)
    , m_table(new KeyValueTable(tr("Key"), tr("Value"), this)) {
    for (auto it = sandbox.labels.begin(); it != sandbox.labels.end(); ++it)
        m_table->addPair(it.key(), it.value());
    addRow(tr("&Labels:"), m_table, QStringLiteral("labels"));
    okButton()->setText(tr("&Save"));
    setMinimumWidth(fontMetrics().averageCharWidth() * kLabelsWidthChars);
}

QString LabelsDialog::check() const {
    return m_table->problem();
}

void LabelsDialog::send() {
    QMap<QString, QString> labels;
    for (const auto& [key, value] : m_table->pairs())
        labels.insert(key, value);
    m_api.setLabels(m_sandbox.id, labels, this, [this](const app::Result<app::Done>& r) { answered(r); });
}

// ---- LifecycleDialog ----

LifecycleDialog::LifecycleDialog(app::SandboxesApi api, const app::Sandbox& sandbox, QWidget* parent)
    : SandboxDialog(
          tr("Lifecycle"),
          tr("What \"%1\" does by itself when nobody uses it. A sandbox either stops or pauses when "
             "idle, not both.")
              .arg(sandbox.name),
          api, sandbox, parent)
    , m_autoStop(minutesSpin(this, 0, tr("off")))
    , m_autoPause(minutesSpin(this, 0, tr("off")))
    , m_autoArchive(minutesSpin(this, 0, tr("the longest interval")))
    , m_deleteOn(new QCheckBox(tr("D&elete it when stopped for"), this))
    , m_autoDelete(minutesSpin(this, 0, tr("at once")))
    , m_ttlOn(new QCheckBox(tr("Delete it &anyway after"), this))
    , m_ttl(minutesSpin(this, 1, {})) {
    m_autoStop->setValue(sandbox.autoStopInterval);
    m_autoPause->setValue(sandbox.autoPauseInterval);
    m_autoArchive->setValue(sandbox.autoArchiveInterval);
    m_deleteOn->setChecked(sandbox.autoDeleteInterval >= 0);
    m_autoDelete->setValue(std::max(0, sandbox.autoDeleteInterval));
    m_ttlOn->setChecked(sandbox.autoDestroyAtMs > 0);
    // The time to live left, rounded up; it is sent again only when changed (it counts from the change).
    const qint64 left = sandbox.autoDestroyAtMs - QDateTime::currentMSecsSinceEpoch();
    m_ttl->setValue(sandbox.autoDestroyAtMs > 0 ? int(std::max<qint64>(1, (left + kMinuteMs - 1) / kMinuteMs))
                                                : 60);
    m_autoDelete->setEnabled(m_deleteOn->isChecked());
    m_ttl->setEnabled(m_ttlOn->isChecked());
    connect(m_deleteOn, &QCheckBox::toggled, m_autoDelete, &QWidget::setEnabled);
    connect(m_ttlOn, &QCheckBox::toggled, m_ttl, &QWidget::setEnabled);
    connect(m_ttl, &QSpinBox::valueChanged, this, [this] { m_ttlChanged = true; });
    // At most one of auto-stop and auto-pause is on: setting one turns the other off.
    connect(m_autoStop, &QSpinBox::valueChanged, this, [this](int v) {
        if (v > 0)
            m_autoPause->setValue(0);
    });
    connect(m_autoPause, &QSpinBox::valueChanged, this, [this](int v) {
        if (v > 0)
            m_autoStop->setValue(0);
    });
    m_autoStop->setToolTip(tr("Minutes without activity before the sandbox stops; its processes end."));
    m_autoPause->setToolTip(tr("Minutes without activity before the sandbox pauses; its processes are "
                               "frozen and go on when it resumes."));
    m_autoArchive->setToolTip(tr("Minutes stopped before its files move to the archive."));
    m_ttl->setToolTip(tr("Counted from when you press Save, whatever the sandbox does meanwhile."));
    addRow(tr("Auto-&stop:"), m_autoStop, QStringLiteral("autoStopInterval"));
    addRow(tr("Auto-&pause:"), m_autoPause, QStringLiteral("autoPauseInterval"));
    addRow(tr("Auto-a&rchive:"), m_autoArchive, QStringLiteral("autoArchiveInterval"));
    form()->addRow(m_deleteOn, m_autoDelete);
    form()->addRow(m_ttlOn, m_ttl);
    m_autoDelete->setAccessibleName(tr("Auto-delete"));
    m_ttl->setAccessibleName(tr("Time to live"));
    okButton()->setText(tr("&Save"));
}

QList<LifecycleDialog::Change> LifecycleDialog::changes() const {
    using I = app::SandboxesApi::Interval;
    QList<Change> all;
    const auto add = [&all](I which, int now, int before) {
        if (now != before)
            all << Change{which, now};
    };
    add(I::AutoStop, m_autoStop->value(), m_sandbox.autoStopInterval);
    add(I::AutoPause, m_autoPause->value(), m_sandbox.autoPauseInterval);
    add(I::AutoArchive, m_autoArchive->value(), m_sandbox.autoArchiveInterval);
    add(I::AutoDelete, m_deleteOn->isChecked() ? m_autoDelete->value() : -1, m_sandbox.autoDeleteInterval);
    const bool hadTtl = m_sandbox.autoDestroyAtMs > 0;
    if (m_ttlOn->isChecked() && (!hadTtl || m_ttlChanged))
        all << Change{I::TimeToLive, m_ttl->value()};
    else if (!m_ttlOn->isChecked() && hadTtl)
        all << Change{I::TimeToLive, 0};
    // Timers turned off go first, so auto-stop is off before auto-pause comes on and the other way round.
    std::stable_partition(all.begin(), all.end(), [](const Change& c) { return c.second <= 0; });
    return all;
}

bool LifecycleDialog::confirmed() {
    using I = app::SandboxesApi::Interval;
    const QList<Change> all = changes();
    // A new time to live, or deletion as soon as it stops, ends the sandbox without another question.
    const bool deletes = std::any_of(all.begin(), all.end(), [](const Change& c) {
        return (c.first == I::AutoDelete && c.second == 0) || (c.first == I::TimeToLive && c.second > 0);
    });
    return !deletes ||
           kit::confirm(
               this, tr("Delete by itself"),
               tr("\"%1\" will be deleted by itself, with its files, when the time comes. Save these "
                  "settings?")
                   .arg(m_sandbox.name));
}

void LifecycleDialog::send() {
    sendNext(changes());
}

void LifecycleDialog::sendNext(QList<Change> rest) {
    if (rest.isEmpty())
        return answered(nullptr);
    const Change c = rest.takeFirst();
    m_api.setInterval(m_sandbox.id, c.first, c.second, this,
                      [this, rest](const app::Result<app::Sandbox>& r) {
                          if (!r.ok())
                              return answered(&r.error());
                          keepAnswer(r);
                          sendNext(rest);
                      });
}

// ---- NetworkDialog ----

NetworkDialog::NetworkDialog(app::SandboxesApi api, const app::Sandbox& sandbox, QWidget* parent)
    : SandboxDialog(tr("Network"),
                    tr("Where \"%1\" may connect to. The organization's tier may narrow this further "
                       "(tiers 1 and 2 reach only essential services).")
                        .arg(sandbox.name),
                    api, sandbox, parent)
    , m_blockAll(new QCheckBox(tr("&Block all outbound traffic"), this))
    , m_allowList(new QLineEdit(sandbox.networkAllowList, this))
    , m_domainAllow(new QLineEdit(sandbox.domainAllowList, this))
    , m_domainBlock(new QLineEdit(sandbox.domainBlockList, this))
    , m_strict(new QCheckBox(tr("&Strict: no essential services and no other exception"), this)) {
    m_blockAll->setChecked(sandbox.networkBlockAll);
    m_strict->setChecked(sandbox.networkStrict);
    m_allowList->setPlaceholderText(tr("anywhere, e.g. 10.0.0.0/8,192.168.1.0/24"));
    m_domainAllow->setPlaceholderText(tr("any name, e.g. example.com,*.pypi.org"));
    m_domainBlock->setPlaceholderText(tr("none, e.g. ads.example.com,*.tracker.net"));
    for (QWidget* w : {static_cast<QWidget*>(m_allowList), static_cast<QWidget*>(m_domainAllow),
                       static_cast<QWidget*>(m_domainBlock), static_cast<QWidget*>(m_strict)}) {
        w->setEnabled(!sandbox.networkBlockAll);
        connect(m_blockAll, &QCheckBox::toggled, w, [w](bool on) { w->setEnabled(!on); });
    }
    form()->addRow(m_blockAll);
    addRow(tr("&Only to:"), m_allowList, QStringLiteral("networkAllowList"));
    addRow(tr("Only to the &names:"), m_domainAllow, QStringLiteral("domainAllowList"));
    addRow(tr("Never to the na&mes:"), m_domainBlock, QStringLiteral("domainBlockList"));
    form()->addRow(m_strict);
    okButton()->setText(tr("&Save"));
}

QString NetworkDialog::checkDomainList(const QString& list, const QString& what) {
    // A DNS name of letters, digits and hyphens, optionally after "*." (every name under it).
    static const QRegularExpression name(
        QStringLiteral("^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{"
                       "0,61}[A-Za-z0-9])?$"));
    const QStringList names = list.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (names.size() > kMaxDomains)
        return tr("At most %1 names may be given in %2; %3 are given.")
            .arg(kMaxDomains)
            .arg(what)
            .arg(names.size());
    for (const QString& raw : names) {
        const QString n = raw.trimmed();
        if (n.size() > 253 || !name.match(n).hasMatch())
            return tr("\"%1\" in %2 is not a name such as example.com or *.example.com (a \"*.\" may only "
                      "open a name).")
                .arg(n, what);
    }
    return {};
}

QString NetworkDialog::check() const {
    if (m_blockAll->isChecked())
        return {};
    if (QString problem = CreateSandboxDialog::checkAllowList(m_allowList->text()); !problem.isEmpty())
        return problem;
    if (QString problem = checkDomainList(m_domainAllow->text(), tr("the names allowed")); !problem.isEmpty())
        return problem;
    return checkDomainList(m_domainBlock->text(), tr("the names blocked"));
}

void NetworkDialog::send() {
    const auto compact = [](const QLineEdit* e) { return e->text().remove(QLatin1Char(' ')); };
    const bool blockAll = m_blockAll->isChecked();
    QJsonObject body{{QStringLiteral("networkBlockAll"), blockAll},
                     {QStringLiteral("networkAllowList"), blockAll ? QString() : compact(m_allowList)}};
    // The name rules go only when changed: a service without them is not asked to store them.
    if (!blockAll) {
        if (compact(m_domainAllow) != m_sandbox.domainAllowList)
            body.insert(QStringLiteral("domainAllowList"), compact(m_domainAllow));
        if (compact(m_domainBlock) != m_sandbox.domainBlockList)
            body.insert(QStringLiteral("domainBlockList"), compact(m_domainBlock));
        if (m_strict->isChecked() != m_sandbox.networkStrict)
            body.insert(QStringLiteral("networkStrict"), m_strict->isChecked());
    }
    m_api.setNetwork(m_sandbox.id, body, this, [this](const app::Result<app::Sandbox>& r) { answered(r); });
}

} // namespace cove::ui::detail
