// The dialogs of the sandbox page's actions. Each sends its own request, shows that it is under way, and on
// a refusal stays open with the input kept and the service's sentence next to the field it concerns.
#pragma once

#include "app/ApiError.h"
#include "app/Sandbox.h"
#include "app/SandboxesApi.h"

#include <QDialog>
#include <QHash>

#include <functional>
#include <optional>
#include <type_traits>

class QCheckBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace cove::ui {
class KeyValueTable;
}

namespace cove::ui::detail {

class ActionDialog : public QDialog {
    Q_OBJECT
public:
    QPushButton* okButton() const { return m_ok; }
    // The error shown, empty when none.
    QString error() const;
    bool isSending() const { return m_sending; }
    // The sandbox as the service answered the change, when its answer carried one; null otherwise.
    const app::Sandbox* answeredSandbox() const { return m_answer ? &*m_answer : nullptr; }

protected:
    ActionDialog(const QString& title, const QString& intro, QWidget* parent);

    QFormLayout* form() const { return m_form; }
    // A form row whose label gives the focus to `field`; `requestKey` is the field's name in the service's
    // errors, so a refusal about it is shown under it.
    void addRow(const QString& label, QWidget* field, const QString& requestKey = {});
    // What is wrong with the input, checked before anything is sent; empty when nothing is.
    virtual QString check() const { return {}; }
    // Asks before a change that destroys something; false when the user said no.
    virtual bool confirmed() { return true; }
    // Sends the request; its answer goes to answered().
    virtual void send() = 0;
    // The answer: the dialog closes on success, or says what went wrong and stays open.
    void answered(const app::ApiError* error);
    template <class T> void answered(const app::Result<T>& r) {
        if constexpr (std::is_same_v<T, app::Sandbox>)
            keepAnswer(r);
        answered(r.ok() ? nullptr : &r.error());
    }
    // Keeps the sandbox a successful answer carried, for answeredSandbox().
    void keepAnswer(const app::Result<app::Sandbox>& r) {
        if (r.ok())
            m_answer = r.value();
    }

private:
    void submit();
    void setSending(bool on);
    void showError(const QString& text, const QString& requestKey = {});

    QLabel* m_intro;
    QFormLayout* m_form;
    QLabel* m_message;
    QProgressBar* m_busy;
    QDialogButtonBox* m_buttons;
    QPushButton* m_ok;
    QHash<QString, QWidget*> m_fields;
    bool m_sending = false;
    std::optional<app::Sandbox> m_answer;
};

// One name, for a fork, a snapshot or a checkpoint; `send` is given the name and the answer to pass on.
// The longest names the service accepts.
inline constexpr int kMaxSandboxName = 63;
inline constexpr int kMaxCheckpointName = 63;
inline constexpr int kMaxSnapshotName = 255;

class NameDialog : public ActionDialog {
    Q_OBJECT
public:
    using Answer = std::function<void(const app::ApiError*)>;
    using Send = std::function<void(const QString& name, const Answer& answer)>;

    // maxLength: what the service accepts (63 for sandbox and checkpoint names, 255 for snapshots).
    NameDialog(const QString& title, const QString& intro, const QString& okText, bool required,
               int maxLength, Send send, QWidget* parent);
    QLineEdit* nameEdit() const { return m_name; }

protected:
    QString check() const override;
    void send() override;

private:
    QLineEdit* m_name;
    bool m_required;
    Send m_send;
};

// A dialog that changes one sandbox's settings, starting from what they are.
class SandboxDialog : public ActionDialog {
    Q_OBJECT
protected:
    SandboxDialog(const QString& title, const QString& intro, app::SandboxesApi api,
                  const app::Sandbox& sandbox, QWidget* parent)
        : ActionDialog(title, intro, parent)
        , m_api(api)
        , m_sandbox(sandbox) {}

    app::SandboxesApi m_api;
    app::Sandbox m_sandbox; // as it was when the dialog opened
};

class ResizeDialog : public SandboxDialog {
    Q_OBJECT
public:
    ResizeDialog(app::SandboxesApi api, const app::Sandbox& sandbox, QWidget* parent);
    QSpinBox* cpuSpin() const { return m_cpu; }
    QSpinBox* memorySpin() const { return m_memory; }
    QSpinBox* diskSpin() const { return m_disk; }

protected:
    void send() override;

private:
    QSpinBox* m_cpu;
    QSpinBox* m_memory;
    QSpinBox* m_disk;
};

class LabelsDialog : public SandboxDialog {
    Q_OBJECT
public:
    LabelsDialog(app::SandboxesApi api, const app::Sandbox& sandbox, QWidget* parent);
    KeyValueTable* table() const { return m_table; }

protected:
    QString check() const override;
    void send() override;

private:
    KeyValueTable* m_table;
};

// The sandbox's timers: auto-stop or auto-pause (at most one of them), auto-archive, auto-delete and a time
// to live. Only what changed is sent, one call each, the timers being turned off first.
class LifecycleDialog : public SandboxDialog {
    Q_OBJECT
public:
    LifecycleDialog(app::SandboxesApi api, const app::Sandbox& sandbox, QWidget* parent);
    QSpinBox* autoStopSpin() const { return m_autoStop; }
    QSpinBox* autoPauseSpin() const { return m_autoPause; }
    QSpinBox* autoArchiveSpin() const { return m_autoArchive; }
    QCheckBox* autoDeleteCheck() const { return m_deleteOn; }
    QSpinBox* autoDeleteSpin() const { return m_autoDelete; }
    QCheckBox* ttlCheck() const { return m_ttlOn; }
    QSpinBox* ttlSpin() const { return m_ttl; }

protected:
    bool confirmed() override;
    void send() override;

private:
    using Change = QPair<app::SandboxesApi::Interval, int>;
    QList<Change> changes() const;
    void sendNext(QList<Change> rest);

    QSpinBox* m_autoStop;
    QSpinBox* m_autoPause;
    QSpinBox* m_autoArchive;
    QCheckBox* m_deleteOn;
    QSpinBox* m_autoDelete;
    QCheckBox* m_ttlOn;
    QSpinBox* m_ttl;
    bool m_ttlChanged = false;
};

// Where the sandbox may connect to: everything blocked, networks (CIDR), names allowed and names blocked,
// and strict mode. Only what changed is sent.
class NetworkDialog : public SandboxDialog {
    Q_OBJECT
public:
    NetworkDialog(app::SandboxesApi api, const app::Sandbox& sandbox, QWidget* parent);
    QCheckBox* blockAllCheck() const { return m_blockAll; }
    QLineEdit* allowListEdit() const { return m_allowList; }
    QLineEdit* domainAllowEdit() const { return m_domainAllow; }
    QLineEdit* domainBlockEdit() const { return m_domainBlock; }
    QCheckBox* strictCheck() const { return m_strict; }
    // What is wrong with a list of names (`name` or `*.name`, separated by commas), as a sentence that
    // says what to write instead; empty when it is fine. `what` names the field in the sentence.
    static QString checkDomainList(const QString& list, const QString& what);
    // As the service takes it: at most this many names in each list.
    static constexpr int kMaxDomains = 10;

protected:
    QString check() const override;
    void send() override;

private:
    QCheckBox* m_blockAll;
    QLineEdit* m_allowList;
    QLineEdit* m_domainAllow;
    QLineEdit* m_domainBlock;
    QCheckBox* m_strict;
};

} // namespace cove::ui::detail
