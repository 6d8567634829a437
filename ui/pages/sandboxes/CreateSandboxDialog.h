// Every parameter of POST /api/sandbox in one dialog: checked here before anything is sent; the service's
// refusals are shown next to the field they concern. The dialog sends the request itself and stays open
// with its input on failure and while the service is away.
#pragma once

#include "app/SandboxesApi.h"

#include <QDialog>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;

namespace cove::app {
class ApiClient;
}

namespace cove::ui {

class KeyValueTable;

class CreateSandboxDialog : public QDialog {
    Q_OBJECT
public:
    // Where an error is shown: next to one of these, or at the top.
    enum class Field { Top, Name, Source, Resources, Env, Labels, Lifecycle, Network, Volumes };

    explicit CreateSandboxDialog(app::ApiClient* client, QWidget* parent = nullptr);

    // The request the form describes (whether valid or not), and its body.
    app::CreateSandboxRequest typedRequest() const;
    QJsonObject request() const;
    // Checks the form; shows each problem next to its field. True when there is none.
    bool validate();
    // The error shown for `field` (empty when none).
    QString error(Field field) const;
    // Where an error about `requestKey` (a top-level key of the create request, as the service names it
    // in an error's "field") is shown: Top for none or one the form has no place for.
    static Field fieldOf(const QString& requestKey);
    // Up to five IPv4 CIDR blocks separated by commas: empty when fine, else what is wrong.
    static QString checkAllowList(const QString& list);
    // An absolute path with no "..": empty when fine, else what is wrong.
    static QString checkMountPath(const QString& path);

    // The widgets, for keyboard-less callers (tests) and accessibility.
    QLineEdit* nameEdit() const { return m_name; }
    QComboBox* snapshotCombo() const { return m_snapshot; }
    QRadioButton* imageChoice() const { return m_useImage; }
    QLineEdit* imageEdit() const { return m_image; }
    QSpinBox* cpuSpin() const { return m_cpu; }
    QSpinBox* memorySpin() const { return m_memory; }
    QSpinBox* diskSpin() const { return m_disk; }
    KeyValueTable* envTable() const { return m_env; }
    KeyValueTable* labelsTable() const { return m_labels; }
    QSpinBox* autoStopSpin() const { return m_autoStop; }
    QSpinBox* autoArchiveSpin() const { return m_autoArchive; }
    QSpinBox* autoDeleteSpin() const { return m_autoDelete; }
    QCheckBox* ephemeralCheck() const { return m_ephemeral; }
    QCheckBox* publicCheck() const { return m_public; }
    QCheckBox* blockAllCheck() const { return m_blockAll; }
    QLineEdit* allowListEdit() const { return m_allowList; }
    QTableWidget* volumesTable() const { return m_volumes; }
    QPushButton* createButton() const { return m_createButton; }
    // Adds a volume row; `volume` is a volume's name or id (empty: the first ready one).
    void addVolumeRow(const QString& volume = {}, const QString& mountPath = {}, const QString& subpath = {},
                      bool readOnly = false);
    // Whether the snapshots, volumes and limits have been read.
    bool choicesLoaded() const { return m_choicesLoaded; }
    bool isSending() const { return m_sending; }

signals:
    // The service made the sandbox (it may still be starting).
    void created(const QJsonObject& sandbox);
    void choicesReady();

public slots:
    void submit();

private:
    void loadChoices();
    void setError(Field field, const QString& text);
    void clearErrors();
    void fitHeight();
    void updateEnabled();
    void fillVolumeCombo(QComboBox* combo, const QString& wanted);

    app::ApiClient* m_client;
    app::SandboxesApi m_api;
    QLabel* m_top;
    QLabel* m_serviceNote;
    QLineEdit* m_name;
    QRadioButton* m_useSnapshot;
    QRadioButton* m_useImage;
    QComboBox* m_snapshot;
    QLineEdit* m_image;
    QSpinBox* m_cpu;
    QSpinBox* m_memory;
    QSpinBox* m_disk;
    QLabel* m_limits;
    KeyValueTable* m_env;
    KeyValueTable* m_labels;
    QSpinBox* m_autoStop;
    QSpinBox* m_autoArchive;
    QSpinBox* m_autoDelete;
    QCheckBox* m_ephemeral;
    QCheckBox* m_public;
    QCheckBox* m_blockAll;
    QLineEdit* m_allowList;
    QTableWidget* m_volumes;
    QPushButton* m_createButton;
    QHash<Field, QLabel*> m_errors;
    QJsonArray m_readyVolumes;
    bool m_choicesLoaded = false;
    bool m_sending = false;
    int m_pendingLoads = 0;
};

} // namespace cove::ui
