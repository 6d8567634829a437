// Logs: the output of the entrypoint or of any session command in the sandbox, followed live over the
// toolbox's log WebSocket (…/process/session/{sid}/command/{cid}/logs?follow=true). A line cap keeps
// huge output from slowing the UI; pausing keeps the view still while the stream goes on.
#pragma once

#include "ui/pages/sandboxes/detail/DetailTab.h"

#include <QPointer>
#include <QWebSocket>

#include <functional>

class QCheckBox;
class QComboBox;
class QJsonObject;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;

namespace cove::ui::detail {

class LogsTab : public DetailTab {
    Q_OBJECT
public:
    // The most lines the view keeps; older ones scroll away.
    static constexpr int kLineCap = 5000;

    explicit LogsTab(app::ApiClient* client, QWidget* parent = nullptr);

    QComboBox* sources() const { return m_sources; }
    QString text() const;
    bool following() const;
    void setFollowing(bool on);
    QString status() const;

public slots:
    // Re-reads the sessions and their commands, keeping the chosen one when it still exists.
    void refresh() override;
    void clear();

protected:
    void sandboxChanged() override;
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    // A source's name in the list: the session (or the entrypoint), the command and how it ended.
    static QString sourceText(const QString& sid, const QJsonObject& command);
    void connectTo(int index);
    void disconnectStream();
    void received(const QString& text);
    void flush();
    // The status line says `text` (kept to say again in a new language); without one, what follows
    // from Follow and the connection, or what it said before.
    void setStatus(std::function<QString()> text = {});

    QComboBox* m_sources;
    QCheckBox* m_follow;
    QPlainTextEdit* m_view;
    QLabel* m_status;
    QLabel* m_message;
    QTimer* m_flush;
    QLabel* m_sourceLabel;
    QPushButton* m_reload;
    QPushButton* m_clear;
    std::function<QString()> m_statusText;
    QPointer<QWebSocket> m_socket;
    QString m_pending; // received, not yet shown (batched, or held while paused)
    QString m_streamKey;
    bool m_loading = false;
};

} // namespace cove::ui::detail
