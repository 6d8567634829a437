// The choices come from the service: active snapshots (/api/snapshots), ready volumes (/api/volumes) and
// the organization's per-sandbox maxima (/api/organizations), read again whenever the service comes back.
#include "ui/pages/sandboxes/CreateSandboxDialog.h"

#include "app/ApiClient.h"
#include "ui/widgets/KeyValueTable.h"
#include "ui/widgets/PageKit.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace cove::ui {

namespace {

constexpr int kMaxNameLength = 63;
constexpr int kMaxAllowList = 5;
constexpr int kMaxMounts = 8;
constexpr int kMinutesPerDay = 24 * 60;

enum VolumeColumn { VolumeName, MountPath, Subpath, ReadOnly };

QLabel* errorLabel(QWidget* parent) {
    auto* l = kit::messageLine(parent);
    return l;
}

QSpinBox* spin(int min, int max, int value, const QString& suffix, QWidget* parent) {
    auto* s = new QSpinBox(parent);
    s->setRange(min, max);
    s->setValue(value);
    s->setSuffix(suffix);
    s->setAccelerated(true);
    return s;
}

QString cellText(const QTableWidget* t, int row, int column) {
    const QTableWidgetItem* item = t->item(row, column);
    return item ? item->text().trimmed() : QString();
}

} // namespace

CreateSandboxDialog::CreateSandboxDialog(app::ApiClient* client, QWidget* parent)
    : QDialog(parent)
    , m_client(client)
    , m_api(client)
    , m_top(errorLabel(this))
    , m_serviceNote(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_useSnapshot(new QRadioButton(tr("S&napshot"), this))
    , m_useImage(new QRadioButton(tr("&Image"), this))
    , m_snapshot(new QComboBox(this))
    , m_image(new QLineEdit(this))
    , m_cpu(spin(1, 1, 1, tr(" vCPU"), this))
    , m_memory(spin(1, 1, 1, tr(" GiB"), this))
    , m_disk(spin(1, 3, 3, tr(" GiB"), this))
    , m_limits(new QLabel(this))
    , m_env(new KeyValueTable(tr("Variable"), tr("Value"), this))
    , m_labels(new KeyValueTable(tr("Label"), tr("Value"), this))
    , m_autoStop(spin(0, 1 << 30, 15, tr(" min"), this))
    , m_autoArchive(spin(0, 1 << 30, 7 * kMinutesPerDay, tr(" min"), this))
    , m_autoDelete(spin(-1, 1 << 30, -1, tr(" min"), this))
    , m_ephemeral(new QCheckBox(tr("E&phemeral: delete it as soon as it stops"), this))
    , m_public(new QCheckBox(tr("P&ublic: previews open without a token"), this))
    , m_blockAll(new QCheckBox(tr("&Block all network access"), this))
    , m_allowList(new QLineEdit(this))
    , m_volumes(new QTableWidget(0, 4, this))
    , m_createButton(new QPushButton(tr("&Create"), this)) {
    setWindowTitle(tr("Create sandbox"));
    for (Field f : {Field::Top, Field::Name, Field::Source, Field::Resources, Field::Env, Field::Labels,
                    Field::Lifecycle, Field::Network, Field::Volumes})
        m_errors.insert(f, f == Field::Top ? m_top : errorLabel(this));

    m_serviceNote->setWordWrap(true);
    m_serviceNote->setObjectName(QStringLiteral("serviceNote"));
    m_serviceNote->setStyleSheet(
        QStringLiteral("#serviceNote { background: #fff4ce; border: 1px solid #e0c060; "
                       "border-radius: 4px; padding: 4px; }"));
    m_serviceNote->hide();

    // General: name and what it starts from.
    auto* general = new QGroupBox(tr("General"), this);
    auto* generalForm = new QFormLayout(general);
    m_name->setPlaceholderText(tr("optional; the ID is used when empty"));
    m_name->setMaxLength(kMaxNameLength);
    generalForm->addRow(tr("&Name"), m_name);
    generalForm->addRow(QString(), m_errors[Field::Name]);
    m_useSnapshot->setChecked(true);
    auto* sourceGroup = new QButtonGroup(this);
    sourceGroup->addButton(m_useSnapshot);
    sourceGroup->addButton(m_useImage);
    m_snapshot->setEditable(true);
    m_snapshot->setAccessibleName(tr("Snapshot"));
    m_snapshot->setMinimumContentsLength(18);
    m_image->setPlaceholderText(tr("e.g. python:3.12-slim (built into a snapshot first)"));
    m_image->setAccessibleName(tr("Image"));
    generalForm->addRow(m_useSnapshot, m_snapshot);
    generalForm->addRow(m_useImage, m_image);
    generalForm->addRow(QString(), m_errors[Field::Source]);
    connect(m_useImage, &QRadioButton::toggled, this, &CreateSandboxDialog::updateEnabled);

    // Resources, bounded by the organization's maxima.
    auto* resources = new QGroupBox(tr("Resources"), this);
    auto* resourcesForm = new QFormLayout(resources);
    resourcesForm->addRow(tr("&CPU"), m_cpu);
    resourcesForm->addRow(tr("&Memory"), m_memory);
    resourcesForm->addRow(tr("&Disk"), m_disk);
    m_limits->setWordWrap(true);
    m_limits->setText(tr("Reading the organization's limits…"));
    resourcesForm->addRow(QString(), m_limits);
    resourcesForm->addRow(QString(), m_errors[Field::Resources]);

    // Lifecycle.
    auto* lifecycle = new QGroupBox(tr("Lifecycle"), this);
    auto* lifecycleForm = new QFormLayout(lifecycle);
    m_autoStop->setSpecialValueText(tr("never"));
    m_autoArchive->setSpecialValueText(tr("as soon as it stops"));
    m_autoDelete->setSpecialValueText(tr("never"));
    m_autoStop->setToolTip(tr("Minutes without activity before the sandbox stops; 0 keeps it running."));
    m_autoArchive->setToolTip(tr("Minutes stopped before the sandbox is archived (7 days by default)."));
    m_autoDelete->setToolTip(tr("Minutes stopped before the sandbox is deleted; -1 never, 0 as it stops."));
    lifecycleForm->addRow(tr("Auto-s&top after"), m_autoStop);
    lifecycleForm->addRow(tr("Auto-&archive after"), m_autoArchive);
    lifecycleForm->addRow(tr("Auto-d&elete after"), m_autoDelete);
    lifecycleForm->addRow(QString(), m_ephemeral);
    lifecycleForm->addRow(QString(), m_errors[Field::Lifecycle]);
    connect(m_ephemeral, &QCheckBox::toggled, this, &CreateSandboxDialog::updateEnabled);

    // Network.
    auto* network = new QGroupBox(tr("Network"), this);
    auto* networkForm = new QFormLayout(network);
    networkForm->addRow(QString(), m_public);
    networkForm->addRow(QString(), m_blockAll);
    m_allowList->setPlaceholderText(tr("e.g. 10.0.0.0/8, 192.168.1.0/24 (up to 5)"));
    m_allowList->setAccessibleName(tr("Allowed networks"));
    networkForm->addRow(tr("A&llowed networks"), m_allowList);
    networkForm->addRow(QString(), m_errors[Field::Network]);
    connect(m_blockAll, &QCheckBox::toggled, this, &CreateSandboxDialog::updateEnabled);

    // Environment and labels.
    auto* envBox = new QGroupBox(tr("Environment variables"), this);
    auto* envLayout = new QVBoxLayout(envBox);
    envLayout->addWidget(m_env);
    envLayout->addWidget(m_errors[Field::Env]);
    auto* labelsBox = new QGroupBox(tr("Labels"), this);
    auto* labelsLayout = new QVBoxLayout(labelsBox);
    labelsLayout->addWidget(m_labels);
    labelsLayout->addWidget(m_errors[Field::Labels]);

    // Volumes.
    auto* volumesBox = new QGroupBox(tr("Volumes"), this);
    m_volumes->setHorizontalHeaderLabels({tr("Volume"), tr("Mount path"), tr("Subpath"), tr("Read-only")});
    m_volumes->verticalHeader()->hide();
    m_volumes->horizontalHeader()->setStretchLastSection(true);
    m_volumes->horizontalHeader()->resizeSection(VolumeName, 150);
    m_volumes->horizontalHeader()->resizeSection(MountPath, 130);
    m_volumes->horizontalHeader()->resizeSection(Subpath, 100);
    m_volumes->setMinimumHeight(90);
    m_volumes->setAccessibleName(tr("Volumes"));
    auto* addVolume = new QPushButton(tr("Add"), volumesBox);
    auto* removeVolume = new QPushButton(tr("Remove"), volumesBox);
    addVolume->setAccessibleName(tr("Add volume"));
    removeVolume->setAccessibleName(tr("Remove volume"));
    connect(addVolume, &QPushButton::clicked, this, [this] { addVolumeRow(); });
    connect(removeVolume, &QPushButton::clicked, this, [this] {
        if (m_volumes->currentRow() >= 0)
            m_volumes->removeRow(m_volumes->currentRow());
    });
    auto* volumeButtons = new QVBoxLayout;
    volumeButtons->addWidget(addVolume);
    volumeButtons->addWidget(removeVolume);
    volumeButtons->addStretch(1);
    auto* volumesRow = new QHBoxLayout;
    volumesRow->addWidget(m_volumes, 1);
    volumesRow->addLayout(volumeButtons);
    auto* volumesLayout = new QVBoxLayout(volumesBox);
    volumesLayout->addLayout(volumesRow);
    volumesLayout->addWidget(m_errors[Field::Volumes]);

    auto* buttons = new QDialogButtonBox(this);
    m_createButton->setDefault(true);
    buttons->addButton(m_createButton, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_createButton, &QPushButton::clicked, this, &CreateSandboxDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* left = new QVBoxLayout;
    left->addWidget(general);
    left->addWidget(resources);
    left->addWidget(lifecycle);
    left->addWidget(network);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(envBox, 1);
    right->addWidget(labelsBox, 1);
    right->addWidget(volumesBox, 1);
    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_serviceNote);
    layout->addWidget(m_top);
    layout->addLayout(columns, 1);
    layout->addWidget(buttons);
    updateEnabled();

    // While the service is away the form stays as it is; the choices are read again when it is back.
    app::EventClient* events = m_client->events();
    const auto away = [this](const QString& reason) {
        m_serviceNote->setText(
            tr("The Cove service is not reachable (%1). Your input is kept; create the sandbox "
               "when it is back.")
                .arg(reason));
        m_serviceNote->show();
    };
    connect(events, &app::EventClient::disconnected, this, away);
    connect(events, &app::EventClient::connected, this, [this] {
        m_serviceNote->hide();
        if (!m_choicesLoaded)
            loadChoices();
    });
    if (events->state() == app::EventClient::State::Waiting)
        away(events->lastReason());
    loadChoices();
}

void CreateSandboxDialog::updateEnabled() {
    m_snapshot->setEnabled(!m_useImage->isChecked());
    m_image->setEnabled(m_useImage->isChecked());
    m_autoDelete->setEnabled(!m_ephemeral->isChecked());
    m_allowList->setEnabled(!m_blockAll->isChecked());
    m_createButton->setEnabled(!m_sending);
}

void CreateSandboxDialog::loadChoices() {
    if (m_pendingLoads > 0)
        return;
    m_pendingLoads = 3;
    const auto loadedOne = [this](bool ok) {
        m_choicesLoaded = m_choicesLoaded || ok; // a failure is tried again when the service is back
        if (--m_pendingLoads == 0 && m_choicesLoaded)
            emit choicesReady();
    };
    m_client->get(
        QStringLiteral("/api/snapshots?page=1&limit=200"), this, [this, loadedOne](const app::ApiResult& r) {
            if (r.ok) {
                const QString typed = m_snapshot->currentText();
                QStringList names;
                for (const auto& v : r.json.object().value(QStringLiteral("items")).toArray())
                    if (v.toObject().value(QStringLiteral("state")).toString() == QLatin1String("active"))
                        names << v.toObject().value(QStringLiteral("name")).toString();
                names.sort();
                m_snapshot->clear();
                m_snapshot->addItems(names);
                const QString want = typed.isEmpty() ? QStringLiteral("cove-base") : typed;
                const int at = m_snapshot->findText(want);
                if (at >= 0)
                    m_snapshot->setCurrentIndex(at);
                else
                    m_snapshot->setEditText(want);
            } else {
                setError(Field::Source, tr("Cannot list the snapshots: %1").arg(r.error));
            }
            loadedOne(r.ok);
        });
    m_client->get(QStringLiteral("/api/volumes"), this, [this, loadedOne](const app::ApiResult& r) {
        if (r.ok) {
            m_readyVolumes = QJsonArray();
            for (const auto& v : r.json.array())
                if (v.toObject().value(QStringLiteral("state")).toString() == QLatin1String("ready"))
                    m_readyVolumes.append(v);
            for (int row = 0; row < m_volumes->rowCount(); ++row)
                if (auto* combo = qobject_cast<QComboBox*>(m_volumes->cellWidget(row, VolumeName)))
                    fillVolumeCombo(combo, combo->currentText());
        }
        loadedOne(r.ok);
    });
    m_client->get(QStringLiteral("/api/organizations"), this, [this, loadedOne](const app::ApiResult& r) {
        if (r.ok) {
            const QJsonObject org = r.json.array().at(0).toObject();
            const int cpu = org.value(QStringLiteral("maxCpuPerSandbox")).toInt(1);
            const int memory = org.value(QStringLiteral("maxMemoryPerSandbox")).toInt(1);
            const int disk = org.value(QStringLiteral("maxDiskPerSandbox")).toInt(3);
            m_cpu->setMaximum(std::max(1, cpu));
            m_memory->setMaximum(std::max(1, memory));
            m_disk->setMaximum(std::max(1, disk));
            m_cpu->setToolTip(tr("At most %1 vCPU per sandbox").arg(cpu));
            m_memory->setToolTip(tr("At most %1 GiB per sandbox").arg(memory));
            m_disk->setToolTip(tr("At most %1 GiB per sandbox").arg(disk));
            m_limits->setText(
                tr("Your organization allows up to %1 vCPU, %2 GiB of memory and %3 GiB of disk "
                   "per sandbox (see Limits).")
                    .arg(cpu)
                    .arg(memory)
                    .arg(disk));
        } else {
            m_limits->setText(tr("The organization's limits could not be read: %1").arg(r.error));
        }
        fitHeight();
        loadedOne(r.ok);
    });
}

void CreateSandboxDialog::fillVolumeCombo(QComboBox* combo, const QString& wanted) {
    const QSignalBlocker block(combo);
    combo->clear();
    for (const auto& v : m_readyVolumes) {
        const QJsonObject o = v.toObject();
        combo->addItem(o.value(QStringLiteral("name")).toString(), o.value(QStringLiteral("id")).toString());
    }
    if (wanted.isEmpty())
        return;
    int at = combo->findText(wanted);
    if (at < 0)
        at = combo->findData(wanted);
    if (at >= 0)
        combo->setCurrentIndex(at);
    else
        combo->setEditText(wanted);
}

void CreateSandboxDialog::addVolumeRow(const QString& volume, const QString& mountPath,
                                       const QString& subpath, bool readOnly) {
    const int row = m_volumes->rowCount();
    m_volumes->insertRow(row);
    auto* combo = new QComboBox(m_volumes);
    combo->setEditable(true);
    combo->setAccessibleName(tr("Volume"));
    fillVolumeCombo(combo, volume);
    m_volumes->setCellWidget(row, VolumeName, combo);
    m_volumes->setItem(row, MountPath,
                       new QTableWidgetItem(mountPath.isEmpty() ? QStringLiteral("/data") : mountPath));
    m_volumes->setItem(row, Subpath, new QTableWidgetItem(subpath));
    auto* ro = new QTableWidgetItem;
    ro->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsSelectable);
    ro->setCheckState(readOnly ? Qt::Checked : Qt::Unchecked);
    m_volumes->setItem(row, ReadOnly, ro);
}

app::CreateSandboxRequest CreateSandboxDialog::typedRequest() const {
    app::CreateSandboxRequest r;
    r.name = m_name->text().trimmed();
    if (m_useImage->isChecked())
        // As the SDK sends Image.base(x): a one-line Dockerfile the service builds into a snapshot.
        r.dockerfile = QStringLiteral("FROM %1\n").arg(m_image->text().trimmed());
    else
        r.snapshot = m_snapshot->currentText().trimmed();
    r.cpu = m_cpu->value();
    r.memory = m_memory->value();
    r.disk = m_disk->value();
    for (const auto& [key, value] : m_env->pairs())
        r.env.insert(key, value);
    for (const auto& [key, value] : m_labels->pairs())
        r.labels.insert(key, value);
    r.autoStopInterval = m_autoStop->value();
    r.autoArchiveInterval = m_autoArchive->value();
    // Ephemeral is what the SDK makes of it: deleted the moment it stops.
    r.autoDeleteInterval = m_ephemeral->isChecked() ? 0 : m_autoDelete->value();
    r.isPublic = m_public->isChecked();
    r.networkBlockAll = m_blockAll->isChecked();
    r.networkAllowList = m_allowList->text().simplified().remove(QLatin1Char(' '));
    for (int row = 0; row < m_volumes->rowCount(); ++row) {
        auto* combo = qobject_cast<QComboBox*>(m_volumes->cellWidget(row, VolumeName));
        const int at = combo ? combo->findText(combo->currentText()) : -1;
        const QTableWidgetItem* ro = m_volumes->item(row, ReadOnly);
        r.volumes << app::VolumeMount{at >= 0 ? combo->itemData(at).toString()
                                              : (combo ? combo->currentText().trimmed() : QString()),
                                      cellText(m_volumes, row, MountPath), cellText(m_volumes, row, Subpath),
                                      ro && ro->checkState() == Qt::Checked};
    }
    return r;
}

QJsonObject CreateSandboxDialog::request() const {
    return typedRequest().toJson();
}

QString CreateSandboxDialog::checkAllowList(const QString& list) {
    static const QRegularExpression cidr(
        QStringLiteral("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$"));
    const QStringList blocks = list.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (blocks.size() > kMaxAllowList)
        return tr("At most %1 networks may be allowed; %2 are given.").arg(kMaxAllowList).arg(blocks.size());
    for (const QString& raw : blocks) {
        const QString block = raw.trimmed();
        const auto m = cidr.match(block);
        bool ok = m.hasMatch() && m.captured(5).toInt() <= 32 &&
                  !(m.captured(5).size() == 2 && m.captured(5)[0] == QLatin1Char('0'));
        for (int i = 1; ok && i <= 4; ++i)
            ok = m.captured(i).toInt() <= 255 &&
                 !(m.captured(i).size() > 1 && m.captured(i)[0] == QLatin1Char('0'));
        if (!ok)
            return tr("\"%1\" is not an IPv4 network in CIDR form such as 10.0.0.0/8.").arg(block);
    }
    return {};
}

QString CreateSandboxDialog::checkMountPath(const QString& path) {
    if (!path.startsWith(QLatin1Char('/')))
        return tr("The mount path \"%1\" must be absolute, such as /data.").arg(path);
    if (path.split(QLatin1Char('/')).contains(QStringLiteral("..")))
        return tr("The mount path \"%1\" must not contain \"..\".").arg(path);
    if (path == QLatin1String("/"))
        return tr("A volume cannot be mounted at /; use a folder such as /data.");
    return {};
}

bool CreateSandboxDialog::validate() {
    clearErrors();
    if (m_name->text().trimmed().size() > kMaxNameLength)
        setError(Field::Name, tr("The name may have at most %1 characters.").arg(kMaxNameLength));
    if (m_useImage->isChecked()) {
        const QString image = m_image->text().trimmed();
        if (image.isEmpty() || image.contains(QRegularExpression(QStringLiteral("\\s"))))
            setError(Field::Source, tr("Give an image reference such as python:3.12-slim (no spaces)."));
    }
    static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    if (const QString problem = m_env->problem([](const QString& key) {
            return envName.match(key).hasMatch()
                       ? QString()
                       : tr("\"%1\" is not a variable name (letters, digits and _, not starting with a "
                            "digit).")
                             .arg(key);
        });
        !problem.isEmpty())
        setError(Field::Env, problem);
    if (const QString problem = m_labels->problem(); !problem.isEmpty())
        setError(Field::Labels, problem);
    if (!m_blockAll->isChecked()) {
        if (const QString problem = checkAllowList(m_allowList->text()); !problem.isEmpty())
            setError(Field::Network, problem);
    }
    if (m_volumes->rowCount() > kMaxMounts)
        setError(Field::Volumes, tr("A sandbox may mount at most %1 volumes.").arg(kMaxMounts));
    QSet<QString> mountPaths;
    for (int row = 0; row < m_volumes->rowCount() && error(Field::Volumes).isEmpty(); ++row) {
        auto* combo = qobject_cast<QComboBox*>(m_volumes->cellWidget(row, VolumeName));
        const QString path = cellText(m_volumes, row, MountPath);
        const QString subpath = cellText(m_volumes, row, Subpath);
        if (!combo || combo->currentText().trimmed().isEmpty())
            setError(Field::Volumes, tr("Row %1: choose a volume.").arg(row + 1));
        else if (const QString problem = checkMountPath(path); !problem.isEmpty())
            setError(Field::Volumes, tr("Row %1: %2").arg(row + 1).arg(problem));
        else if (mountPaths.contains(path))
            setError(Field::Volumes, tr("Row %1: two volumes are mounted at %2.").arg(row + 1).arg(path));
        else if (subpath.startsWith(QLatin1Char('/')) ||
                 subpath.split(QLatin1Char('/')).contains(QStringLiteral("..")))
            setError(Field::Volumes,
                     tr("Row %1: the subpath \"%2\" must be relative to the volume, without \"..\".")
                         .arg(row + 1)
                         .arg(subpath));
        mountPaths.insert(path);
    }
    for (auto* label : std::as_const(m_errors))
        if (!label->isHidden())
            return false;
    return true;
}

CreateSandboxDialog::Field CreateSandboxDialog::fieldOf(const QString& requestKey) {
    static const QHash<QString, Field> fields = {
        {QStringLiteral("name"), Field::Name},
        {QStringLiteral("snapshot"), Field::Source},
        {QStringLiteral("image"), Field::Source},
        {QStringLiteral("buildInfo"), Field::Source},
        {QStringLiteral("user"), Field::Source},
        {QStringLiteral("cpu"), Field::Resources},
        {QStringLiteral("memory"), Field::Resources},
        {QStringLiteral("disk"), Field::Resources},
        {QStringLiteral("gpu"), Field::Resources},
        {QStringLiteral("class"), Field::Resources},
        {QStringLiteral("env"), Field::Env},
        {QStringLiteral("labels"), Field::Labels},
        {QStringLiteral("volumes"), Field::Volumes},
        {QStringLiteral("networkAllowList"), Field::Network},
        {QStringLiteral("networkBlockAll"), Field::Network},
        {QStringLiteral("domainAllowList"), Field::Network},
        {QStringLiteral("public"), Field::Network},
        {QStringLiteral("autoStopInterval"), Field::Lifecycle},
        {QStringLiteral("autoArchiveInterval"), Field::Lifecycle},
        {QStringLiteral("autoDeleteInterval"), Field::Lifecycle},
    };
    return fields.value(requestKey, Field::Top); // "target", or no field: the top of the dialog
}

void CreateSandboxDialog::submit() {
    if (m_sending || !validate())
        return;
    m_sending = true;
    updateEnabled();
    m_createButton->setText(tr("Creating…"));
    m_api.create(typedRequest(), this, [this](const app::Result<app::Sandbox>& r) {
        m_sending = false;
        m_createButton->setText(tr("&Create"));
        updateEnabled();
        if (r.ok()) {
            emit created(r.value().json);
            accept();
            return;
        }
        const app::ApiError& e = r.error();
        if (e.unreachable()) {
            setError(Field::Top, tr("Nothing was created: %1 Your input is kept; press Create again when the "
                                    "service is back.")
                                     .arg(e.text));
            return;
        }
        setError(fieldOf(e.field), e.text);
    });
}

void CreateSandboxDialog::setError(Field field, const QString& text) {
    kit::showMessage(m_errors.value(field), text);
    fitHeight();
}

void CreateSandboxDialog::fitHeight() {
    // Wrapped lines (an error, the limits) need more height than the dialog had; grow to fit them.
    layout()->activate();
    const int needed =
        layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : sizeHint().height();
    if (height() < needed)
        resize(width(), needed);
}

void CreateSandboxDialog::clearErrors() {
    for (auto* label : std::as_const(m_errors))
        kit::showMessage(label, QString());
}

QString CreateSandboxDialog::error(Field field) const {
    const QLabel* l = m_errors.value(field);
    return l && !l->isHidden() ? l->text() : QString();
}

} // namespace cove::ui
