// The VNC tab's screen recordings of the sandbox's desktop (computeruse/recordings): start and stop one,
// the list with name, start, duration, size and status (read again every few seconds while the tab is
// shown), Play (downloaded to a temporary file and opened with the computer's video player), Download…
// and Delete after a confirmation.
#pragma once

#include <QJsonArray>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTemporaryDir;
class QTimer;

namespace cove::app {
class ApiClient;
class Transfer;
} // namespace cove::app

namespace cove::ui::detail {

// How often the list is read again while the tab is shown.
constexpr int kRecordingsRefreshMs = 3000;

class RecordingsPanel : public QWidget {
    Q_OBJECT
public:
    RecordingsPanel(app::ApiClient* client, QWidget* parent);
    ~RecordingsPanel() override;

    void setSandbox(const QString& id);
    // What the error line says; empty when hidden.
    QString message() const;
    QTableWidget* table() const { return m_table; }

public slots:
    void refresh();
    void startRecording();
    void stopRecording();
    void play();
    void chooseDownload();
    // Saves the selected recording as `localFile` (what Download… does once a file is chosen).
    void downloadTo(const QString& localFile);
    void deleteSelected();

signals:
    // A download for Play or Download… finished; `localFile` is empty when it failed.
    void downloaded(const QString& localFile);

protected:
    void showEvent(QShowEvent* e) override;
    void hideEvent(QHideEvent* e) override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void fill();
    void updateButtons();
    QJsonObject selected() const;
    QString path(const QString& rest) const;
    void fail(const QString& what, int status, const QString& error);
    void download(const QJsonObject& rec, const QString& localFile, bool open);

    app::ApiClient* m_client;
    QString m_id;
    QString m_select; // a recording to select once the list holds it
    QJsonArray m_recordings;
    bool m_busy = false;
    bool m_loading = false;
    QLabel* m_title;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_play;
    QPushButton* m_download;
    QPushButton* m_delete;
    QProgressBar* m_progress;
    QLabel* m_message;
    QTableWidget* m_table;
    QTimer* m_timer;
    QTemporaryDir* m_playDir = nullptr;
    app::Transfer* m_transfer = nullptr;
};

} // namespace cove::ui::detail
